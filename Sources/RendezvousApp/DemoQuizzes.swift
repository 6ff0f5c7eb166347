import Foundation
import RendezvousDomain
import RendezvousPersistence

/// The demo network's quiz library: templates every chapter can copy (chapterID nil, shared),
/// two polls, and one quiz of Toulouse's own. Facts as of 2024.
enum DemoQuizzes {
    static func load(_ persistence: Persistence, toulouse: Chapter.ID, now: Date) async throws {
        for quiz in templates(now: now) + [toulouseQuiz(toulouse, now: now)] {
            try await persistence.quizzes.save(quiz)
        }
    }

    static func templates(now: Date) -> [Quiz] {
        [
            Quiz(chapterID: nil, title: "LinkedIn trivia", language: .en, shared: true, questions: [
                QuizQuestion(kind: .single, prompt: "In which year was LinkedIn launched?", choices: ["1999", "2003", "2006", "2010"], correct: [1]),
                QuizQuestion(kind: .trueFalse, prompt: "Microsoft bought LinkedIn in 2016.", correct: [0], seconds: 15),
                QuizQuestion(kind: .number, prompt: "How many first-degree connections may one LinkedIn member have at most?", answer: 30000, seconds: 30),
                QuizQuestion(kind: .multiple, prompt: "Who among these co-founded LinkedIn?", choices: ["Reid Hoffman", "Allen Blue", "Jack Dorsey", "Sheryl Sandberg"],
                             correct: [0, 1], seconds: 25),
                QuizQuestion(kind: .single, prompt: "In which country did the first #LinkedInLocal meetup take place, in 2016?",
                             choices: ["Australia", "Canada", "Ireland", "France"], correct: [0]),
                QuizQuestion(kind: .word, prompt: "What colour is the #OpenToWork photo frame?", accepted: ["green"], seconds: 20),
                QuizQuestion(kind: .trueFalse, prompt: "LinkedIn’s headquarters are in Seattle.", correct: [1], seconds: 15),
                QuizQuestion(kind: .word, prompt: "In one word: what do you hope to get from tonight?", seconds: 30, points: 0),
            ], updatedAt: now),
            Quiz(chapterID: nil, title: "Quiz LinkedIn", language: .fr, shared: true, questions: [
                QuizQuestion(kind: .single, prompt: "En quelle année LinkedIn a-t-il été lancé ?", choices: ["1999", "2003", "2006", "2010"], correct: [1]),
                QuizQuestion(kind: .trueFalse, prompt: "Microsoft a racheté LinkedIn en 2016.", correct: [0], seconds: 15),
                QuizQuestion(kind: .number, prompt: "Combien de relations de premier niveau un membre de LinkedIn peut-il avoir au plus ?", answer: 30000, seconds: 30),
                QuizQuestion(kind: .multiple, prompt: "Lesquelles de ces personnes ont cofondé LinkedIn ?", choices: ["Reid Hoffman", "Allen Blue", "Jack Dorsey", "Sheryl Sandberg"],
                             correct: [0, 1], seconds: 25),
                QuizQuestion(kind: .single, prompt: "Dans quel pays a eu lieu la première rencontre #LinkedInLocal, en 2016 ?",
                             choices: ["Australie", "Canada", "Irlande", "France"], correct: [0]),
                QuizQuestion(kind: .word, prompt: "De quelle couleur est le cadre photo #OpenToWork ?", accepted: ["vert", "verte"], seconds: 20),
                QuizQuestion(kind: .trueFalse, prompt: "Le siège de LinkedIn se trouve à Seattle.", correct: [1], seconds: 15),
            ], updatedAt: now),
            Quiz(chapterID: nil, title: "Toulouse aéronautique", language: .fr, shared: true, questions: [
                QuizQuestion(kind: .single, prompt: "Quel avion supersonique a fait son premier vol à Toulouse en 1969 ?",
                             choices: ["Caravelle", "Concorde", "Mirage III", "Airbus A300"], correct: [1]),
                QuizQuestion(kind: .number, prompt: "En quelle année l’Airbus A380 a-t-il fait son premier vol, à Toulouse ?", answer: 2005, seconds: 25),
                QuizQuestion(kind: .single, prompt: "Quel écrivain a piloté pour l’Aéropostale, dont les lignes partaient de Toulouse ?",
                             choices: ["Marcel Pagnol", "Antoine de Saint-Exupéry", "Albert Camus", "Jules Verne"], correct: [1]),
                QuizQuestion(kind: .trueFalse, prompt: "La Cité de l’espace se trouve à Toulouse.", correct: [0], seconds: 15),
                QuizQuestion(kind: .word, prompt: "Quel cétacé a donné son nom à l’avion-cargo géant d’Airbus ?", accepted: ["Beluga", "Béluga"], seconds: 20),
                QuizQuestion(kind: .single, prompt: "Comment s’appelle le musée aéronautique ouvert à Blagnac en 2015 ?",
                             choices: ["Aeroscopia", "Aérodrome", "Envol", "Latécoère"], correct: [0]),
            ], updatedAt: now),
            Quiz(chapterID: nil, title: "Your sector?", language: .en, shared: true, questions: [
                QuizQuestion(kind: .word, prompt: "Your sector, in one word?", seconds: 30, points: 0),
                QuizQuestion(kind: .single, prompt: "How did you hear about tonight?", choices: ["LinkedIn", "A friend or a colleague", "Another meetup", "Elsewhere"],
                             seconds: 20, points: 0),
            ], updatedAt: now),
            Quiz(chapterID: nil, title: "Votre premier meetup ?", language: .fr, shared: true, questions: [
                QuizQuestion(kind: .single, prompt: "Est-ce votre première rencontre #LinkedInLocal ?",
                             choices: ["Oui, la toute première", "La deuxième ou la troisième", "Je suis un habitué"], seconds: 20, points: 0),
            ], updatedAt: now),
        ]
    }

    static func toulouseQuiz(_ toulouse: Chapter.ID, now: Date) -> Quiz {
        Quiz(chapterID: toulouse, title: "Brise-glace de la rentrée", language: .fr, questions: [
            QuizQuestion(kind: .trueFalse, prompt: "La première rencontre #LinkedInLocalToulouse a eu lieu à La Mêlée, en mars 2018.", correct: [0], seconds: 15),
            QuizQuestion(kind: .number, prompt: "Combien étions-nous à la rencontre de janvier 2019 ?", answer: 69, seconds: 25),
            QuizQuestion(kind: .single, prompt: "Quelle est la meilleure façon de se présenter en une phrase ?",
                         choices: ["Son titre exact", "Ce que l’on fait pour qui", "Son entreprise", "Son nombre de relations"], seconds: 20, points: 0),
            QuizQuestion(kind: .word, prompt: "Un mot pour décrire Toulouse ?", seconds: 30, points: 0),
        ], updatedAt: now)
    }
}
