import Foundation

/// An input with its label, hint and error (`partials/field.mustache`).
struct FormField {
    var id: String
    var name: String
    var label: String
    var value: String
    var type: String
    var required: Bool
    /// Whether the field has a hint, and its text ("" without one). Never optional: Mustache reads a
    /// missing (nil) value from the enclosing context, so a field without a hint or an error of its
    /// own would show the page's (`{{#error}}` found the page's "Please correct the fields…" under
    /// every field). Stored, not computed: swift-mustache reads stored properties only (Mirror).
    let hasHint: Bool
    let hintText: String
    /// Whether the field is in error, and its message ("" when it is not).
    let hasError: Bool
    let errorText: String
    var maxLength: Int
    var autocomplete: String
    /// The ids of the hint and the error, for `aria-describedby` ("" when neither).
    let hasDescribedBy: Bool
    let describedBy: String

    init(name: String, label: String, value: String, type: String = "text", required: Bool, hint: String? = nil,
         error: String?, maxLength: Int, autocomplete: String) {
        self.id = "f-\(name)"
        self.name = name
        self.label = label
        self.value = value
        self.type = type
        self.required = required
        self.hasHint = hint != nil
        self.hintText = hint ?? ""
        self.hasError = error != nil
        self.errorText = error ?? ""
        self.maxLength = maxLength
        self.autocomplete = autocomplete
        let ids = [hint == nil ? nil : "f-\(name)-hint", error == nil ? nil : "f-\(name)-error"].compactMap { $0 }
        self.hasDescribedBy = !ids.isEmpty
        self.describedBy = ids.joined(separator: " ")
    }
}

struct CheckboxField {
    var id: String
    var name: String
    var value = "on"
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

/// A text area in a simple form. Its hint and error are stored as flags and texts, never optional,
/// for the reason `FormField` gives: a missing one would be read from the page.
struct TextAreaField {
    var id: String
    var name: String
    var label: String
    var value: String
    let hasHint: Bool
    let hintText: String
    let hasError: Bool
    let errorText: String
    var maxLength: Int

    init(id: String, name: String, label: String, value: String, hint: String?, error: String?, maxLength: Int) {
        self.id = id
        self.name = name
        self.label = label
        self.value = value
        self.hasHint = hint != nil
        self.hintText = hint ?? ""
        self.hasError = error != nil
        self.errorText = error ?? ""
        self.maxLength = maxLength
    }
}

struct PageLink {
    var url: String
    var label: String
}
