"""The sandboxed template engine for letter templates written by administrators.

A letter template may use only:
- placeholders named in ``PLACEHOLDERS`` (plain strings, numbers, booleans and lists of
  strings; no dotted lookups, so nothing reaches into an object, a setting or another
  case), plus ``forloop.counter``/``first``/``last`` inside a loop;
- the tags ``if`` and ``for`` and a handful of text filters.
Every other tag (``load``, ``include``, ``debug``, ``url``…) does not exist here. The
checks run when a template is saved (admin form) and again before every render, and
rendering gets a plain dict built by ``context.letter_context`` — never a model, a
request or the settings.
"""

import re

from django.core.exceptions import ValidationError
from django.template import (
    Context,
    Engine,
    Library,
    Template,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import FilterExpression, TextNode, Variable, VariableNode
from django.template.defaulttags import ForNode, IfNode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PLACEHOLDERS: dict[str, str] = {
    "reference": _("the case reference (P-… or G-…)"),
    "is_group": _("true for a group letter"),
    "name": _("the person's legal name where consent and role allow it, else the pseudonym"),
    "named": _("true when 'name' is a legal name"),
    "pseudonym": _("the person's pseudonym"),
    "group_size": _("how many people (1 for a person)"),
    "people": _("'5 people', '5명', '5人'"),
    "composition": _("'3 women, 1 man and 1 child'"),
    "sex": _("'woman', 'man' or '' for a person"),
    "age": _("approximate age in years for a person, or ''"),
    "vulnerabilities": _("list of vulnerabilities ('a pregnant woman', '2 children')"),
    "vulnerabilities_text": _("the same list as one phrase"),
    "children": _("number of children and babies"),
    "current_status": _("'detained', 'at risk of return'…"),
    "facility": _("where they are held (facility or place)"),
    "province": _("the province of that facility"),
    "detained_on": _("the date of detention, as precise as known"),
    "detained_place": _("where they were detained"),
    "planned_on": _("planned transfer or return date, or ''"),
    "deadline": _("'please act before' date, or ''"),
    "legal_bases": _("list of the legal bases chosen, one sentence each"),
    "additional_facts": _("facts the advocate added to this letter"),
    "latest_note": _("the note of the latest custody event"),
    "previous_letter_on": _("when the first letter on this case went to this recipient, or ''"),
    "recipient_title": _("the recipient's role or title"),
    "recipient_institution": _("the recipient's institution"),
    "today": _("the date of the letter"),
}

_LOOP_ATTRIBUTES = {"counter", "counter0", "revcounter", "first", "last"}
_FILTERS = ("default", "join", "length", "lower", "upper", "capfirst", "first", "last", "yesno")

_library = Library()
_library.tag("if", defaulttags.do_if)
_library.tag("for", defaulttags.do_for)
for _name in _FILTERS:
    _library.filter(_name, getattr(defaultfilters, _name))

# No loaders, no context processors, no libraries; builtins replaced by the one above.
ENGINE = Engine(loaders=[], libraries={}, autoescape=False, debug=False)
ENGINE.template_builtins = [_library]


def _variable_problems(variable: Variable, scope: set[str]) -> list[str]:
    lookups = variable.lookups
    if lookups is None:  # a literal: "text", 3
        return []
    shown = ".".join(lookups)
    if lookups[0] not in scope:
        return [gettext("unknown placeholder '%(name)s'") % {"name": shown}]
    if len(lookups) > 1 and not (
        lookups[0] == "forloop" and len(lookups) == 2 and lookups[1] in _LOOP_ATTRIBUTES
    ):
        return [
            gettext("'%(name)s' reaches into a value; use the placeholder '%(placeholder)s' itself")
            % {"name": shown, "placeholder": lookups[0]}
        ]
    return []


def _expression_problems(expression: FilterExpression, scope: set[str]) -> list[str]:
    problems = []
    if isinstance(expression.var, Variable):
        problems += _variable_problems(expression.var, scope)
    for _func, args in expression.filters:
        for is_variable, arg in args:
            if is_variable:
                problems += _variable_problems(arg, scope)
    return problems


def _condition_problems(condition, scope: set[str]) -> list[str]:
    if condition is None:
        return []
    if isinstance(getattr(condition, "value", None), FilterExpression):
        return _expression_problems(condition.value, scope)
    return _condition_problems(getattr(condition, "first", None), scope) + _condition_problems(
        getattr(condition, "second", None), scope
    )


def _nodelist_problems(nodelist, scope: set[str]) -> list[str]:
    problems = []
    for node in nodelist:
        if isinstance(node, TextNode):
            continue
        if isinstance(node, VariableNode):
            problems += _expression_problems(node.filter_expression, scope)
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                problems += _condition_problems(condition, scope)
                problems += _nodelist_problems(branch, scope)
        elif isinstance(node, ForNode):
            problems += _expression_problems(node.sequence, scope)
            inner = scope | set(node.loopvars) | {"forloop"}
            problems += _nodelist_problems(node.nodelist_loop, inner)
            problems += _nodelist_problems(node.nodelist_empty, scope)
        else:
            problems.append(
                gettext("'%(tag)s' is not allowed")
                % {"tag": node.token.contents if node.token else node}
            )
    return problems


def _compile(source: str) -> Template:
    return Template(source, engine=ENGINE)


def section_check(source: str) -> list[str]:
    """What is wrong with one section's text: unknown tags or placeholders."""
    try:
        template = _compile(source)
    except TemplateSyntaxError as exc:
        message = str(exc)
        allowed = gettext("allowed tags: if, for; filters: %(filters)s") % {
            "filters": ", ".join(_FILTERS)
        }
        if tag := re.search(r"Invalid block tag on line \d+: '([^']+)'", message):
            message = gettext("the tag '%(tag)s' is not allowed (%(allowed)s)") % {
                "tag": tag.group(1),
                "allowed": allowed,
            }
        elif name := re.search(r"Invalid filter: '([^']+)'", message):
            message = gettext("the filter '%(filter)s' is not allowed (%(allowed)s)") % {
                "filter": name.group(1),
                "allowed": allowed,
            }
        return [message]
    return _nodelist_problems(template.nodelist, set(PLACEHOLDERS))


def template_check(sections: dict[str, str]) -> None:
    """Raise ``ValidationError`` by section when any section may not be rendered."""
    errors = {}
    for name, source in sections.items():
        problems = section_check(source or "")
        if problems:
            errors[name] = [
                gettext("%(problem)s. Placeholders: %(placeholders)s.")
                % {"problem": problem, "placeholders": ", ".join(sorted(PLACEHOLDERS))}
                for problem in problems
            ]
    if errors:
        raise ValidationError(errors)


def section_render(source: str, context: dict) -> str:
    """Render one checked section as plain text (escaping happens per output format)."""
    problems = section_check(source)
    if problems:
        raise ValidationError(problems)
    unknown = set(context) - set(PLACEHOLDERS)
    if unknown:
        raise ValueError(f"Context holds values outside the whitelist: {sorted(unknown)}")
    return _compile(source).render(Context(dict(context), autoescape=False))
