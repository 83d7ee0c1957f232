"""What each notification says, in French and English: every template in one place.

A template is a title and a body with `{param}` placeholders; a kind whose body counts
something (`count`) has a plural body. The member's language is their `preferences.locale`
reduced to its primary subtag ("fr-CA" reads French); any language without templates reads
English. Values of a few closed params (a report's outcome, a moderation action) are words
translated here too; every other param is inserted as given (titles and aliases members wrote).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter
from typing import Final

from mitche.models.notifications import NotificationKind as Kind

__all__ = [
    "DEFAULT_LANGUAGE",
    "DIGEST",
    "LANGUAGES",
    "TEMPLATES",
    "Rendered",
    "Template",
    "language_of",
    "render",
    "render_digest",
]

DEFAULT_LANGUAGE: Final = "en"


@dataclass(frozen=True, slots=True)
class Template:
    """One kind's texts in one language."""

    title: str
    body: str
    body_plural: str | None = None
    """The body when `count` is more than one."""

    def params(self) -> frozenset[str]:
        """The placeholders every rendering needs (the plural body's `count` is given when
        it is used)."""
        names: set[str] = set()
        for text in (self.title, self.body):
            names.update(field for _, field, _, _ in Formatter().parse(text) if field)
        return frozenset(names)


@dataclass(frozen=True, slots=True)
class Rendered:
    """A notification's texts in the language they were rendered in."""

    language: str
    title: str
    body: str


_EN: Final[Mapping[Kind, Template]] = {
    Kind.OFFERING_RECEIVED: Template(
        "New offer of help", "Someone offered to help with “{requestTitle}”."
    ),
    Kind.OFFERING_ACCEPTED: Template(
        "Your offer was accepted", "Your offer on “{requestTitle}” was accepted. Thank you!"
    ),
    Kind.OFFERING_DECLINED: Template(
        "Your offer was declined",
        "Your offer on “{requestTitle}” was not taken this time. Thank you for offering.",
    ),
    Kind.REQUEST_EXPIRING: Template(
        "Your request expires soon", "“{requestTitle}” reaches its deadline in {hours} h."
    ),
    Kind.URGENT_REQUEST: Template(
        "Someone needs help urgently",
        "“{requestTitle}”: a critical request you are well placed to help with.",
    ),
    Kind.NEW_MESSAGE: Template(
        "New message",
        "You have a new message in a conversation.",
        "You have {count} new messages in a conversation.",
    ),
    Kind.REVEAL_REQUESTED: Template(
        "Reveal requested", "{alias} would like to reveal identities with you."
    ),
    Kind.REVEAL_COMPLETED: Template(
        "Identities revealed", "You and {alias} can now see each other's identity."
    ),
    Kind.EVENT_REGISTRATION_CONFIRMED: Template(
        "Registration confirmed", "Your place at “{eventTitle}” is confirmed."
    ),
    Kind.EVENT_REGISTRATION_WAITLISTED: Template(
        "On the waiting list", "You are on the waiting list for “{eventTitle}”."
    ),
    Kind.EVENT_REGISTRATION_PROMOTED: Template(
        "A place opened up", "A place opened up: you are now registered for “{eventTitle}”."
    ),
    Kind.EVENT_REGISTRATION_CANCELLED: Template(
        "Registration cancelled", "Your registration for “{eventTitle}” was cancelled."
    ),
    Kind.EVENT_REMINDER: Template("Event reminder", "“{eventTitle}” starts soon."),
    Kind.STORY_NOMINATED: Template(
        "You were named in a story", "A story of the Hope Tapestry names you: “{storyTitle}”."
    ),
    Kind.STORY_APPROVED: Template(
        "Story approved", "“{storyTitle}” is now woven into the Hope Tapestry."
    ),
    Kind.ACHIEVEMENT_EARNED: Template(
        "Achievement earned", "You earned “{achievementName}”. Well done!"
    ),
    Kind.LEVEL_UP: Template("Level up", "You reached level {level}."),
    Kind.REPORT_RESOLVED: Template(
        "Report resolved", "Thank you for your report. A moderator reviewed it: {outcome}."
    ),
    Kind.CONTENT_MODERATED: Template(
        "About your content", "A moderator {action} your content. Reason: {reason}."
    ),
    Kind.DATA_EXPORT_READY: Template(
        "Your data is ready", "The archive of your data can be downloaded for {days} days."
    ),
}

_FR: Final[Mapping[Kind, Template]] = {
    Kind.OFFERING_RECEIVED: Template(
        "Nouvelle offre d'aide", "Quelqu'un propose de vous aider pour « {requestTitle} »."
    ),
    Kind.OFFERING_ACCEPTED: Template(
        "Votre offre est acceptée", "Votre offre pour « {requestTitle} » a été acceptée. Merci !"
    ),
    Kind.OFFERING_DECLINED: Template(
        "Votre offre n'a pas été retenue",
        "Votre offre pour « {requestTitle} » n'a pas été retenue cette fois. Merci de l'avoir "
        "proposée.",
    ),
    Kind.REQUEST_EXPIRING: Template(
        "Votre demande expire bientôt", "« {requestTitle} » arrive à échéance dans {hours} h."
    ),
    Kind.URGENT_REQUEST: Template(
        "Quelqu'un a besoin d'aide en urgence",
        "« {requestTitle} » : une demande critique pour laquelle vous êtes bien placé·e.",
    ),
    Kind.NEW_MESSAGE: Template(
        "Nouveau message",
        "Vous avez un nouveau message dans une conversation.",
        "Vous avez {count} nouveaux messages dans une conversation.",
    ),
    Kind.REVEAL_REQUESTED: Template(
        "Demande de révélation", "{alias} souhaite révéler vos identités l'un à l'autre."
    ),
    Kind.REVEAL_COMPLETED: Template(
        "Identités révélées", "Vous et {alias} pouvez maintenant voir l'identité de l'autre."
    ),
    Kind.EVENT_REGISTRATION_CONFIRMED: Template(
        "Inscription confirmée", "Votre place à « {eventTitle} » est confirmée."
    ),
    Kind.EVENT_REGISTRATION_WAITLISTED: Template(
        "Sur liste d'attente", "Vous êtes sur la liste d'attente de « {eventTitle} »."
    ),
    Kind.EVENT_REGISTRATION_PROMOTED: Template(
        "Une place s'est libérée",
        "Une place s'est libérée : vous êtes inscrit·e à « {eventTitle} ».",
    ),
    Kind.EVENT_REGISTRATION_CANCELLED: Template(
        "Inscription annulée", "Votre inscription à « {eventTitle} » a été annulée."
    ),
    Kind.EVENT_REMINDER: Template("Rappel d'événement", "« {eventTitle} » commence bientôt."),
    Kind.STORY_NOMINATED: Template(
        "Vous êtes cité·e dans une histoire",
        "Une histoire de la Tapisserie de l'espoir vous cite : « {storyTitle} ».",
    ),
    Kind.STORY_APPROVED: Template(
        "Histoire approuvée",
        "« {storyTitle} » fait maintenant partie de la Tapisserie de l'espoir.",
    ),
    Kind.ACHIEVEMENT_EARNED: Template(
        "Succès obtenu", "Vous avez obtenu « {achievementName} ». Bravo !"
    ),
    Kind.LEVEL_UP: Template("Niveau supérieur", "Vous avez atteint le niveau {level}."),
    Kind.REPORT_RESOLVED: Template(
        "Signalement traité",
        "Merci pour votre signalement. Une personne de la modération l'a examiné : {outcome}.",
    ),
    Kind.CONTENT_MODERATED: Template(
        "À propos de votre contenu",
        "La modération a {action} votre contenu. Motif : {reason}.",
    ),
    Kind.DATA_EXPORT_READY: Template(
        "Vos données sont prêtes",
        "L'archive de vos données peut être téléchargée pendant {days} jours.",
    ),
}

TEMPLATES: Final[Mapping[str, Mapping[Kind, Template]]] = {"en": _EN, "fr": _FR}
"""Templates by language, then kind."""

LANGUAGES: Final = frozenset(TEMPLATES)

_VALUES: Final[Mapping[str, Mapping[str, Mapping[str, str]]]] = {
    "en": {
        "outcome": {"actionTaken": "action was taken", "noAction": "no action was needed"},
        "action": {
            "hidden": "hid",
            "removed": "removed",
            "restored": "restored",
            "warned": "sent a warning about",
        },
    },
    "fr": {
        "outcome": {"actionTaken": "une mesure a été prise", "noAction": "aucune mesure requise"},
        "action": {
            "hidden": "masqué",
            "removed": "retiré",
            "restored": "rétabli",
            "warned": "émis un avertissement sur",
        },
    },
}
"""Words for the closed params, by language, param and value."""


def language_of(locale: str | None) -> str:
    """The language whose templates a member reads: their locale's primary subtag when
    templates exist for it, English otherwise."""
    primary = (locale or "").split("-", 1)[0].lower()
    return primary if primary in TEMPLATES else DEFAULT_LANGUAGE


def render(kind: Kind, params: Mapping[str, str], locale: str | None) -> Rendered:
    """The kind's texts in the member's language; ValueError naming any missing param."""
    language = language_of(locale)
    template = TEMPLATES[language][kind]
    missing = sorted(template.params() - set(params))
    if missing:
        raise ValueError(f"{kind} notification needs params {', '.join(missing)}")
    words = _VALUES[language]
    values = {name: words.get(name, {}).get(value, value) for name, value in params.items()}
    count = int(params.get("count", "1") or "1")
    body = template.body_plural if count > 1 and template.body_plural else template.body
    return Rendered(language, template.title.format(**values), body.format(**values))


DIGEST: Final[Mapping[str, Template]] = {
    "en": Template("Mitché", "You have {count} new notifications."),
    "fr": Template("Mitché", "Vous avez {count} nouvelles notifications."),
}
"""The one push that stands for several deferred notifications of a member."""


def render_digest(count: int, locale: str | None) -> Rendered:
    """The digest push's texts for `count` notifications, in the member's language."""
    language = language_of(locale)
    template = DIGEST[language]
    return Rendered(language, template.title, template.body.format(count=count))
