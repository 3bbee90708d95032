//! The fictional publishing sites and their boilerplate.
//!
//! Every site has a fixed pool of header lines (navigation, login, cookie notice) and
//! footer lines (newsletter, share buttons, "read more", legal). A `boilerplate` copy is an
//! original wrapped in most of its site's lines, in pool order. Because the pools are fixed,
//! two padded copies of *different* originals published by the same site share many lines
//! verbatim: that is the trap the generator sets on purpose. An engine that links documents
//! because they share boilerplate will merge unrelated stories, and the gold says they are
//! unrelated. Half the sites write English boilerplate, half French, because the seed texts
//! the project cares about are both.
//!
//! All names use the reserved `.example` top-level domain: they are invented.

/// One fictional site: its domain and its boilerplate pools.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Site {
    /// Domain, used as the document's `site` field.
    pub name: &'static str,
    /// Lines that can appear above the article, in this order.
    pub header: &'static [&'static str],
    /// Lines that can appear below the article, in this order.
    pub footer: &'static [&'static str],
}

/// The sites documents are attributed to. Originals get any site; copies get a site other
/// than their original's.
pub(crate) const SITES: &[Site] = &[
    Site {
        name: "dailycourier.example",
        header: &[
            "Skip to main content",
            "Home | World | Politics | Business | Sport | Culture | Weather",
            "Sign in | Subscribe for $1 a week",
            "We use cookies to improve your experience. By continuing to browse you accept our cookie policy.",
            "Accept all cookies | Manage preferences",
            "Advertisement",
        ],
        footer: &[
            "Share this article: Facebook | X | LinkedIn | Email | Copy link",
            "Read more: the stories our readers are following today",
            "Subscribe to our newsletter and get the morning briefing in your inbox.",
            "Enter your email address | Sign up",
            "Comments are closed for this article.",
            "About us | Contact | Careers | Advertise with us | Terms of use | Privacy policy",
            "© The Daily Courier. All rights reserved.",
        ],
    },
    Site {
        name: "northbridge-times.example",
        header: &[
            "NORTHBRIDGE TIMES",
            "Menu | Search | Local | National | Opinion | Obituaries | Puzzles",
            "Breaking news alerts: turn on notifications",
            "This site uses cookies. Find out more in our privacy notice.",
            "Got it",
        ],
        footer: &[
            "Related articles",
            "Most read this week",
            "Don't miss a story: subscribe to the Northbridge Times weekly digest.",
            "Follow us on social media",
            "Share on Facebook | Share on X | Share by email | Print",
            "Report an error | Editorial standards | Contact the newsroom",
            "Northbridge Times Media Group, all rights reserved.",
        ],
    },
    Site {
        name: "metro-wire.example",
        header: &[
            "Metro Wire",
            "News | Video | Podcasts | Live | Newsletters | Log in",
            "Support independent journalism: become a member today",
            "Cookie settings: we and our partners store information on your device.",
        ],
        footer: &[
            "Topics in this story",
            "Read more from Metro Wire",
            "Sign up for the Evening Wire newsletter, delivered every weekday.",
            "Tweet | Share | Email | WhatsApp",
            "Advertisement - scroll to continue",
            "Terms | Privacy | Accessibility | Sitemap",
            "Copyright Metro Wire Ltd.",
        ],
    },
    Site {
        name: "harbourpost.example",
        header: &[
            "The Harbour Post",
            "Today's paper | Subscribe | Log in",
            "Sections: News, Business, Arts, Travel, Food, Sport",
            "Your privacy choices: we use cookies for analytics and personalised ads.",
            "Allow | Reject | Customise",
        ],
        footer: &[
            "Continue reading below",
            "You might also like",
            "Get the Harbour Post newsletter: the day's news in five minutes.",
            "Share this story with a friend",
            "Letters to the editor | Corrections | Contact us",
            "The Harbour Post is part of Coastal Media Holdings.",
        ],
    },
    Site {
        name: "lequotidien-du-sud.example",
        header: &[
            "Aller au contenu principal",
            "Accueil | France | Monde | Économie | Sports | Culture | Météo",
            "Se connecter | S'abonner dès 1 € le premier mois",
            "Nous utilisons des cookies pour améliorer votre expérience. En poursuivant votre navigation, vous acceptez leur utilisation.",
            "Tout accepter | Paramétrer",
            "Publicité",
        ],
        footer: &[
            "Partager cet article : Facebook | X | LinkedIn | E-mail | Copier le lien",
            "Lire aussi : les articles les plus lus du jour",
            "Abonnez-vous à notre newsletter et recevez l'essentiel de l'actualité chaque matin.",
            "Votre adresse e-mail | Je m'inscris",
            "Les commentaires sont fermés pour cet article.",
            "Mentions légales | Contact | Publicité | Conditions générales | Politique de confidentialité",
            "© Le Quotidien du Sud. Tous droits réservés.",
        ],
    },
    Site {
        name: "info-express.example",
        header: &[
            "INFO EXPRESS",
            "Menu | Rechercher | En direct | Vidéos | Podcasts",
            "Recevez nos alertes : activez les notifications",
            "Ce site utilise des cookies. En savoir plus sur notre politique de confidentialité.",
            "J'ai compris",
        ],
        footer: &[
            "Sur le même sujet",
            "Les plus lus",
            "Ne manquez rien : inscrivez-vous à la lettre d'information d'Info Express.",
            "Suivez-nous sur les réseaux sociaux",
            "Partager sur Facebook | Partager sur X | Envoyer par e-mail | Imprimer",
            "Signaler une erreur | Charte éditoriale | Nous contacter",
        ],
    },
    Site {
        name: "la-gazette-locale.example",
        header: &[
            "La Gazette Locale",
            "Actualités | Vidéos | Faits divers | Sports | Agenda | Se connecter",
            "Soutenez une information indépendante : abonnez-vous",
            "Gestion des cookies : nos partenaires et nous stockons des informations sur votre appareil.",
        ],
        footer: &[
            "Les sujets de cet article",
            "Lire la suite sur La Gazette Locale",
            "La newsletter du soir, chaque jour de la semaine dans votre boîte mail.",
            "Partager | Tweeter | WhatsApp | E-mail",
            "Publicité - la suite après cette annonce",
            "Plan du site | Accessibilité | Données personnelles",
            "Copyright La Gazette Locale.",
        ],
    },
    Site {
        name: "actu24.example",
        header: &[
            "Actu24",
            "Le journal du jour | S'abonner | Connexion",
            "Rubriques : Politique, Société, Économie, Culture, Sport",
            "Vos choix en matière de vie privée : nous utilisons des traceurs pour la mesure d'audience.",
            "Accepter | Refuser | Personnaliser",
        ],
        footer: &[
            "La suite après la publicité",
            "À lire également",
            "Recevez la newsletter d'Actu24 : l'actualité en cinq minutes.",
            "Partagez cet article avec vos proches",
            "Courrier des lecteurs | Rectificatifs | Contact",
            "Actu24 est édité par Groupe Médias Riviera.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn sites_are_distinct_and_have_pools() {
        let names: HashSet<_> = SITES.iter().map(|s| s.name).collect();
        assert_eq!(names.len(), SITES.len());
        for s in SITES {
            assert!(s.header.len() >= 4 && s.footer.len() >= 5, "{}", s.name);
        }
        // No line is shared between two sites' pools: each site's boilerplate is its own.
        let mut seen = HashSet::new();
        for s in SITES {
            for line in s.header.iter().chain(s.footer) {
                assert!(seen.insert(*line), "line shared between sites: {line}");
            }
        }
    }
}
