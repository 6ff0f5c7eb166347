import Foundation
import Synchronization

/// A coarse family of work, read from a free-text job title in French or English. The planner
/// spreads families across tables; bingo asks to "find someone who works in …".
public enum JobFamily: String, Sendable, Codable, CaseIterable {
    case engineering, data, design, product, marketing, sales, humanResources, finance, legal
    case consulting, education, health, leadership, operations, student, other

    /// Functional words come before leadership ones: a "Marketing director" is in marketing.
    private static let rules: [(JobFamily, [String])] = [
        (.student, ["student", "etudiant", "etudiante", "alternant", "alternante", "intern", "stagiaire", "apprenti"]),
        (.data, ["data", "donnees", "analyst", "analyste", "machine learning", "ml", "ai", "ia", "statistic", "bi"]),
        (.design, ["design", "designer", "ux", "ui", "graphiste", "illustrat", "artistic", "artistique"]),
        (.product, ["product", "produit", "project manager", "chef de projet", "chef de produit", "scrum", "agile", "pmo", "owner"]),
        (.engineering, ["engineer", "ingenieur", "ingenieure", "developer", "developpeur", "developpeuse", "dev", "devops",
                        "software", "logiciel", "architect", "architecte", "cto", "tech", "technicien", "technicienne",
                        "programmer", "sre", "qa", "test", "fullstack", "frontend", "backend", "cloud", "it", "informatique", "cyber", "securite"]),
        (.marketing, ["marketing", "communication", "brand", "marque", "seo", "content", "contenu", "community", "social media",
                      "growth", "copywriter", "redacteur", "redactrice", "journalist", "journaliste", "pr", "evenementiel", "event"]),
        (.sales, ["sales", "commercial", "commerciale", "account", "business developer", "business development", "bizdev",
                  "vente", "ventes", "customer success", "key account", "retail", "ingenieur commercial"]),
        (.humanResources, ["hr", "rh", "human resources", "ressources humaines", "recruit", "recrut", "talent", "people", "chro", "drh", "career", "carriere"]),
        (.finance, ["finance", "financial", "financier", "financiere", "accountant", "comptable", "cfo", "daf", "controller",
                    "controleur", "controleuse", "audit", "auditor", "auditeur", "bank", "banque", "investment", "investissement", "treasury", "tresorier"]),
        (.legal, ["lawyer", "avocat", "avocate", "juriste", "legal", "juridique", "notaire", "counsel", "compliance", "conformite"]),
        (.consulting, ["consultant", "consultante", "conseil", "conseiller", "conseillere", "advisor", "freelance", "independant", "independante", "coach", "formateur", "formatrice", "trainer"]),
        (.education, ["teacher", "enseignant", "enseignante", "professeur", "professor", "lecturer", "research", "chercheur", "chercheuse", "phd", "doctorant", "doctorante", "educat"]),
        (.health, ["doctor", "medecin", "nurse", "infirmier", "infirmiere", "pharmac", "health", "sante", "therap", "psycholog", "dentist"]),
        (.operations, ["operations", "operation", "logistic", "logistique", "supply", "achats", "buyer", "acheteur", "acheteuse", "procurement", "office manager", "assistant", "assistante", "admin"]),
        (.leadership, ["ceo", "founder", "co founder", "cofounder", "fondateur", "fondatrice", "cofondateur", "cofondatrice", "director", "directeur",
                       "directrice", "head", "manager", "gerant", "gerante", "president", "presidente", "owner", "entrepreneur", "entrepreneuse", "vp", "chief", "responsable", "dirigeant", "dirigeante", "associe", "partner"]),
    ]

    /// Titles already classified (a network's people share a few thousand titles; the insights
    /// pages classify the same ones on every view).
    private static let classified = Mutex<[String: JobFamily]>([:])

    public static func classify(_ jobTitle: String) -> JobFamily {
        if let family = classified.withLock({ $0[jobTitle] }) { return family }
        let family = classifyAnew(jobTitle)
        classified.withLock { if $0.count < 20_000 { $0[jobTitle] = family } }
        return family
    }

    private static func classifyAnew(_ jobTitle: String) -> JobFamily {
        let folded = Folding.key(jobTitle)
        guard !folded.isEmpty else { return .other }
        let words = folded.split(separator: " ").map(String.init)
        let padded = " " + folded + " "
        for (family, keywords) in rules {
            for keyword in keywords {
                if keyword.contains(" ") {
                    // The standard library's search: Foundation's `contains` goes through NSString (measured: a fifth of an insights page).
                    if padded.firstRange(of: " " + keyword + " ") != nil { return family }
                } else if keyword.count <= 3 {
                    if words.contains(keyword) { return family }
                } else if words.contains(where: { $0.hasPrefix(keyword) }) {
                    return family
                }
            }
        }
        return .other
    }
}
