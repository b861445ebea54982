extension AlertCatalog {
    /// Mots français de chaque type d'alerte.
    static func frenchText(for kind: AlertKind) -> AlertText {
        switch kind {
        case .torAccess:
            AlertText(
                displayName: "Accès depuis un nœud de sortie Tor",
                description: """
                    Un appel au coffre de clés est venu d'une adresse qui relaie le trafic du réseau \
                    d'anonymisation Tor. Les automatisations et les postes d'entreprise passent rarement par \
                    Tor ; quelqu'un qui cache d'où il vient, si. Un appel réussi signifie que l'appelant \
                    détient des identifiants valides.
                    """,
                remediation: """
                    Identifiez le propriétaire de l'identité et vérifiez s'il utilise Tor volontairement. Sinon, \
                    considérez ses identifiants comme volés : désactivez-les ou réinitialisez-les, révoquez ses \
                    sessions et son accès au coffre, puis renouvelez tous les secrets, clés et certificats \
                    qu'elle pouvait lire. Envisagez un pare-feu de coffre ou un point de terminaison privé pour \
                    n'accepter que des réseaux connus.
                    """)
        case .suspiciousIPAccess:
            AlertText(
                displayName: "Accès depuis une IP suspecte",
                description: """
                    Un appel au coffre de clés est venu d'une adresse de votre liste de renseignement sur les \
                    menaces et n'a pas été refusé. L'expéditeur détient des identifiants que le coffre a acceptés.
                    """,
                remediation: """
                    Vérifiez pourquoi l'adresse est listée et quelle identité l'a utilisée. Sauf explication, \
                    désactivez les identifiants de l'identité, révoquez ses sessions et son accès au coffre, \
                    renouvelez ce qu'elle pouvait lire et bloquez l'adresse dans le pare-feu du coffre.
                    """)
        case .suspiciousIPAccessDenied:
            AlertText(
                displayName: "Accès refusé depuis une IP suspecte",
                description: """
                    Une adresse de votre liste de renseignement sur les menaces a tenté d'utiliser le coffre \
                    de clés et a été refusée (HTTP 401 ou 403). Rien n'a été lu, mais quelqu'un à cette adresse \
                    connaît le coffre et détient peut-être un jeton de l'une de vos identités.
                    """,
                remediation: """
                    Vérifiez à quelle identité appartenait le jeton et s'il a été utilisé ailleurs. Bloquez \
                    l'adresse dans le pare-feu du coffre et réinitialisez les identifiants de l'identité si le \
                    jeton était valide.
                    """)
        case .putGetAnomaly:
            AlertText(
                displayName: "Modification de stratégie suspecte suivie d'une lecture de secrets",
                description: """
                    Une identité a modifié la configuration d'accès du coffre (une stratégie d'accès ou le \
                    coffre lui-même) et, dans l'heure, elle-même ou le principal autorisé a lu ou listé des \
                    secrets. Cette identité ne l'avait jamais fait sur ce coffre : c'est ainsi qu'un intrus \
                    s'octroie un accès puis emporte les secrets.
                    """,
                remediation: """
                    Examinez la modification : qui l'a faite, ce qu'elle accorde et à qui. Annulez-la si elle \
                    n'était pas prévue, désactivez les identités concernées et renouvelez chaque secret lu \
                    après la modification.
                    """)
        case .listGetAnomaly:
            AlertText(
                displayName: "Liste de secrets suspecte suivie de lectures en masse",
                description: """
                    Une identité a listé les secrets du coffre puis en a lu un grand nombre dans l'heure. Elle \
                    ne procède pas ainsi d'habitude sur ce coffre : ce schéma correspond à l'extraction du \
                    contenu du coffre.
                    """,
                remediation: """
                    Demandez au propriétaire de l'identité si une migration ou une sauvegarde l'explique. \
                    Sinon, désactivez l'identité, révoquez son accès au coffre et renouvelez chaque secret lu.
                    """)
        case .userAnomaly:
            AlertText(
                displayName: "Utilisateur inhabituel sur un coffre",
                description: """
                    Un utilisateur absent de l'historique appris de ce coffre y a accédé avec succès. L'arrivée \
                    d'un collègue en est souvent la cause ; un compte volé aussi.
                    """,
                remediation: """
                    Demandez à l'utilisateur, ou à son responsable, si l'accès était attendu. Sinon, \
                    réinitialisez ses identifiants, révoquez ses sessions et son accès au coffre et renouvelez \
                    ce qu'il a lu.
                    """)
        case .appAnomaly:
            AlertText(
                displayName: "Application inhabituelle sur un coffre",
                description: """
                    Une application absente de l'historique appris de ce coffre y a accédé avec succès. Un \
                    nouveau déploiement en est souvent la cause ; un secret ou un jeton d'application volé aussi.
                    """,
                remediation: """
                    Vérifiez auprès du propriétaire de l'application si une mise en production l'explique. \
                    Sinon, renouvelez les identifiants de l'application, retirez son accès au coffre et \
                    renouvelez ce qu'elle a lu.
                    """)
        case .userAppAnomaly:
            AlertText(
                displayName: "Couple utilisateur–application inhabituel",
                description: """
                    Un utilisateur et une application qui utilisent tous deux ce coffre y ont été vus ensemble \
                    pour la première fois. Un utilisateur qui passe par un outil qu'il n'emploie jamais ici \
                    peut signaler une session ou un jeton volé.
                    """,
                remediation: """
                    Demandez à l'utilisateur s'il a utilisé cette application. Sinon, révoquez ses sessions et \
                    examinez ce qui a été lu par l'application.
                    """)
        case .userAccessDeniedAnomaly:
            AlertText(
                displayName: "Refus inhabituel pour un utilisateur",
                description: """
                    Une identité qui n'a jamais utilisé ce coffre a tenté de le faire et a été refusée. Ce peut \
                    être une erreur, ou quelqu'un qui teste les coffres qu'une identité volée peut atteindre.
                    """,
                remediation: """
                    Identifiez le propriétaire de l'identité et la raison de cette tentative. Sans raison, \
                    examinez son autre activité et réinitialisez ses identifiants.
                    """)
        case .operationPatternAnomaly:
            AlertText(
                displayName: "Schéma d'opérations inhabituel",
                description: """
                    Le coffre a reçu des opérations inhabituelles : un type d'opération nouveau pour le coffre \
                    ou pour l'identité, ou une heure dont la répartition des opérations s'écarte nettement de \
                    l'habitude.
                    """,
                remediation: """
                    Examinez les nouvelles opérations et leurs auteurs. Faites confirmer le changement par les \
                    responsables ; sans explication, désactivez l'identité et renouvelez ce qu'elle a touché.
                    """)
        case .operationVolumeAnomaly:
            AlertText(
                displayName: "Volume d'opérations élevé",
                description: """
                    Le coffre, ou une identité sur ce coffre, a effectué bien plus d'opérations cette heure-ci \
                    que d'habitude à ce moment de la journée et de la semaine. Un script qui vide un coffre \
                    ressemble à cela ; une tâche emballée aussi.
                    """,
                remediation: """
                    Identifiez l'identité et le client à l'origine du pic. S'il ne s'agit pas d'une tâche \
                    connue, arrêtez-la : désactivez l'identité et renouvelez ce qu'elle a lu.
                    """)
        case .accountVolumeAnomaly:
            AlertText(
                displayName: "Identité ayant accédé à de nombreux coffres",
                description: """
                    Une identité a atteint bien plus de coffres en 24 heures que d'habitude. C'est ainsi qu'une \
                    identité compromise sert à parcourir tous les coffres à sa portée.
                    """,
                remediation: """
                    Vérifiez si l'identité exécute une tâche d'inventaire ou de sauvegarde. Sinon, \
                    désactivez-la et renouvelez les secrets de chaque coffre atteint.
                    """)
        case .accountVolumeAccessDeniedAnomaly:
            AlertText(
                displayName: "Identité refusée par de nombreux coffres",
                description: """
                    Une identité a été refusée par de nombreux coffres en 24 heures, plus que d'habitude. \
                    Quelqu'un teste peut-être les coffres que cette identité peut atteindre.
                    """,
                remediation: """
                    Identifiez qui contrôle l'identité et examinez ses appels réussis sur la même période. \
                    Réinitialisez ses identifiants si ces tentatives ne s'expliquent pas.
                    """)
        case .unusualAccessSuspiciousIP:
            AlertText(
                displayName: "Accès inhabituel depuis une IP inconnue",
                description: """
                    Une identité a atteint le coffre depuis un réseau qu'elle n'avait jamais utilisé, hors de \
                    vos plages de confiance. Un déplacement ou un nouveau bureau peut l'expliquer ; des \
                    identifiants volés utilisés ailleurs aussi.
                    """,
                remediation: """
                    Interrogez le propriétaire de l'identité sur ce réseau. S'il ne le reconnaît pas, révoquez \
                    les sessions de l'identité, réinitialisez ses identifiants et renouvelez ce qu'elle a lu \
                    depuis ce réseau.
                    """)
        case .sensitiveOperation:
            AlertText(
                displayName: "Opération sensible",
                description: """
                    Un coffre, une clé, un secret ou un certificat a été supprimé, purgé ou sauvegardé. Une \
                    suppression ou une purge peut casser les services qui dépendent de l'objet (une purge est \
                    irréversible) ; une sauvegarde copie l'objet hors du coffre.
                    """,
                remediation: """
                    Faites confirmer par le propriétaire que l'opération était prévue. Sinon : récupérez l'objet \
                    supprimé tant que dure la rétention de suppression réversible, cherchez où est partie la \
                    sauvegarde et retirez l'accès de l'identité.
                    """)
        case .testAlert:
            AlertText(
                displayName: "Alerte de test",
                description: """
                    Une opération a touché un objet nommé vaultwatch-test-alert. Les opérateurs le font \
                    volontairement pour vérifier que les journaux parviennent à VaultWatch et que les alertes \
                    leur parviennent.
                    """,
                remediation: """
                    Rien à corriger : cette alerte montre que le chemin des journaux du coffre jusqu'à l'alerte \
                    fonctionne. Résolvez-la.
                    """)
        }
    }
}
