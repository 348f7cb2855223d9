"""The engine's English sentences in the page's language, at the rendering layer: the engine and its JSON keep
their English wording; a page matches each sentence against the patterns below and says it again with gettext
(the pack's own label where the pack is in the page's language). A sentence no pattern knows is shown as it is."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from clearance.web.i18n import N_, _, current, local_country

#: The engine's words as they stand: English.
ENGLISH = Markup('<span lang="en">%s</span>')

#: (pattern of the engine's sentence, the message that says it again); the first that matches the whole sentence.
SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (
            r"(?P<label>.+) \(exception to (?P<rule>\S+)\): restores (?P<options>.+)",
            N_("%(label)s (exception to %(rule)s): restores %(options)s"),
        ),
        (
            r"(?P<label>.+) \(exception to (?P<rule>\S+)\): may restore \(depends on (?P<facts>.+)\) (?P<options>.+)",
            N_("%(label)s (exception to %(rule)s): may restore %(options)s (depends on %(facts)s)"),
        ),
        (r"(?P<label>.+): removes (?P<options>.+)", N_("%(label)s: removes %(options)s")),
        (
            r"(?P<label>.+): may remove \(depends on (?P<facts>.+)\) (?P<options>.+)",
            N_("%(label)s: may remove %(options)s (depends on %(facts)s)"),
        ),
        (r"(?P<label>.+): applies", N_("%(label)s: applies")),
        (r"(?P<label>.+): does not apply \((?P<why>.+)\)", N_("%(label)s: does not apply (%(why)s)")),
        (r"(?P<label>.+): does not apply", N_("%(label)s: does not apply")),
        (
            r"(?P<label>.+): cannot be decided without (?P<facts>.+)",
            N_("%(label)s: cannot be decided without %(facts)s"),
        ),
        (r"(?P<label>.+): available if (?P<facts>.+) qualifies", N_("%(label)s: available if %(facts)s qualifies")),
        (r"(?P<label>.+): not available", N_("%(label)s: not available")),
        (r"(?P<label>.+): available", N_("%(label)s: available")),
        (r"(?P<code>[A-Z]{2}) \((?P<name>[^)]+)\) is in (?P<group>.+)", N_("%(country)s is in %(group)s")),
        (r"(?P<subject>.+) falls under (?P<where>.+)", N_("%(subject)s falls under %(where)s")),
        (
            r"(?P<item>.+) is not in the control list nor in a catch-all row",
            N_("%(item)s is in neither the control list nor a catch-all row"),
        ),
        (r"required \((?P<basis>.+)\)", N_("required (%(basis)s)")),
        (r"not required", N_("not required")),
        (r"undecided: (?P<questions>.+)", N_("undecided: %(questions)s")),
        (r"undecided", N_("undecided")),
        (
            r"(?P<facts>.+) not given: the rules that turn on it are undecided \(see undecided and steps\)",
            N_("%(facts)s not given: the rules that turn on it are undecided (see the open questions and the steps)"),
        ),
    )
)


def local_label(pack: Any, rule: str | None) -> tuple[str, str] | None:
    """(English label, the pack's own label) of the object a step's rule names, when the pack is in the page's
    language and has its own label."""
    if pack is None or not rule or pack.meta.language != current():
        return None
    kind, _sep, oid = rule.partition(".")
    found = pack.objects.get(kind, {}).get(oid)
    local = getattr(found.model, "label_local", None) if found is not None else None
    return (found.model.label, local) if local else None


def say(sentence: str | None, pack: Any = None, rule: str | None = None) -> Markup:
    """``sentence`` (the engine's English) in the page's language, as HTML: the engine's own words inside it (labels,
    field names) stay marked as English unless the pack's own label is in the page's language; unchanged when no
    pattern matches."""
    if not sentence:
        return Markup("")
    for pattern, message in SENTENCES:
        found = pattern.fullmatch(sentence)
        if found is None:
            continue
        groups = found.groupdict()
        values = {k: ENGLISH % v for k, v in groups.items()}
        labels = local_label(pack, rule)
        if labels and groups.get("label") == labels[0]:
            values["label"] = Markup("%s") % labels[1]
        if "code" in groups:
            values["country"] = Markup("%s (%s)") % (local_country(groups["code"]), groups["code"])
        return Markup(_(message)) % values
    return ENGLISH % sentence
