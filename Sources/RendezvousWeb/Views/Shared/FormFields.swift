import Foundation

/// An input with its label, hint and error (`partials/field.mustache`).
struct FormField {
    var id: String
    var name: String
    var label: String
    var value: String
    var type: String
    var required: Bool
    var hint: String?
    var error: String?
    var maxLength: Int
    var autocomplete: String
    var describedBy: String?

    init(name: String, label: String, value: String, type: String = "text", required: Bool, hint: String? = nil,
         error: String?, maxLength: Int, autocomplete: String) {
        self.id = "f-\(name)"
        self.name = name
        self.label = label
        self.value = value
        self.type = type
        self.required = required
        self.hint = hint
        self.error = error
        self.maxLength = maxLength
        self.autocomplete = autocomplete
        let ids = [hint == nil ? nil : "f-\(name)-hint", error == nil ? nil : "f-\(name)-error"].compactMap { $0 }
        self.describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
    }
}

struct CheckboxField {
    var id: String
    var name: String
    var label: String
    var checked: Bool
}

/// A select box in a simple form.
struct SelectField {
    struct Option { var value: String; var label: String; var selected: Bool }
    var id: String
    var name: String
    var label: String
    var options: [Option]
}

struct TextAreaField {
    var id: String
    var name: String
    var label: String
    var value: String
    var hint: String?
    var error: String?
    var maxLength: Int
}

struct PageLink {
    var url: String
    var label: String
}
