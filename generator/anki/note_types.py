"""Anki note types and deck ids: FROZEN.

Anki refuses to update notes whose note type changed its fields or templates, and such a
change forces every learner into a full sync. Never edit a field list or a template here.
If a note type must change, add a NEW model with a NEW id and a NEW name (e.g. "MLSD Concept v2"),
and say why in the pull request. CSS is part of the note type: change it with the same care.
Deck ids are fixed too: a changed id makes a second deck in every learner's collection.
"""

from __future__ import annotations

import zlib

from .card_html import code_css

# Fixed ids, chosen once at random (2026-11-22). Never reuse or change.
MODEL_IDS = {
    "concept": 1732204800101,
    "reverse": 1732204800102,
    "question": 1732204800103,
    "number": 1732204800104,
    "failure": 1732204800105,
}
ROOT_DECK_ID = 1732204800200
DOMAIN_DECK_IDS = {
    "fundamentals": 1732204800201,
    "data": 1732204800202,
    "retrieval": 1732204800203,
    "recsys": 1732204800204,
    "ranking": 1732204800205,
    "llm-serving": 1732204800206,
    "training": 1732204800207,
    "evaluation": 1732204800208,
    "llm-apps": 1732204800209,
    "production": 1732204800210,
    "models": 1732204800211,
}


def domain_deck_id(domain: str) -> int:
    """The fixed deck id of a domain; a domain added later gets a stable id from its slug."""
    return DOMAIN_DECK_IDS.get(domain) or 1732204900000 + zlib.crc32(domain.encode()) % 10_000_000


FIELDS = {
    "concept": ["Title", "Domain", "Definition", "TradeOffs", "Related", "Link"],
    "reverse": ["MaskedDefinition", "Title", "Domain", "Link"],
    "question": ["Question", "Answer", "Concept", "Link"],
    "number": ["Claim", "Value", "HowKnown", "Concept", "Link"],
    "failure": ["Concept", "Symptom", "Name", "Fix", "Link"],
}

NAMES = {
    "concept": "MLSD Concept",
    "reverse": "MLSD Reverse",
    "question": "MLSD Question",
    "number": "MLSD Number",
    "failure": "MLSD Failure mode",
}

_LINK = '{{#Link}}<div class="kb-link">{{Link}}</div>{{/Link}}'

TEMPLATES = {
    "concept": (
        '<div class="kb-kind">Concept · {{Domain}}</div><div class="kb-title">{{Title}}</div>',
        '{{FrontSide}}<hr id="answer"><div class="kb-def">{{Definition}}</div>'
        '<div class="kb-h">Trade-offs</div>{{TradeOffs}}'
        '{{#Related}}<div class="kb-h">Related</div><div class="kb-rel">{{Related}}</div>{{/Related}}' + _LINK,
    ),
    "reverse": (
        '<div class="kb-kind">Which concept? · {{Domain}}</div><div class="kb-def">{{MaskedDefinition}}</div>',
        '{{FrontSide}}<hr id="answer"><div class="kb-title">{{Title}}</div>' + _LINK,
    ),
    "question": (
        '<div class="kb-kind">Interview question · {{Concept}}</div><div class="kb-q">{{Question}}</div>',
        '{{FrontSide}}<hr id="answer"><div class="kb-a">{{Answer}}</div>' + _LINK,
    ),
    "number": (
        '<div class="kb-kind">Number · {{Concept}}</div><div class="kb-q">{{Claim}}: how much?</div>',
        '{{FrontSide}}<hr id="answer"><div class="kb-value">{{Value}}</div><div class="kb-how">{{HowKnown}}</div>' + _LINK,
    ),
    "failure": (
        '<div class="kb-kind">Failure mode · {{Concept}}</div><div class="kb-q">Symptom: {{Symptom}}</div>'
        '<div class="kb-ask">What is going wrong, and how do you fix it?</div>',
        '{{FrontSide}}<hr id="answer"><div class="kb-title">{{Name}}</div><div class="kb-a"><b>Fix:</b> {{Fix}}</div>' + _LINK,
    ),
}

CSS = """
.card { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 19px; line-height: 1.5; color: #1f2328; background: #fdfdfd; text-align: left;
  max-width: 40em; margin: 0 auto; padding: 0 .6em; }
.kb-kind { font-size: .7em; letter-spacing: .04em; text-transform: uppercase; color: #5b6cbf; margin-bottom: .4em; }
.kb-title { font-size: 1.35em; font-weight: 600; }
.kb-q { font-size: 1.1em; font-weight: 500; }
.kb-ask { margin-top: .5em; color: #57606a; font-style: italic; }
.kb-def, .kb-a, .kb-how { margin: .5em 0; }
.kb-value { font-size: 1.4em; font-weight: 700; color: #1a7f37; }
.kb-h { margin-top: .8em; font-size: .75em; text-transform: uppercase; color: #57606a; letter-spacing: .04em; }
.kb-rel { font-size: .9em; }
.kb-link { margin-top: 1em; font-size: .8em; }
.kb-link a { color: #3f51b5; }
ul { padding-left: 1.2em; margin: .3em 0; }
code { font-family: "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85em; background: #f0f2f4;
  padding: .1em .3em; border-radius: 4px; }
.kb-code { border-radius: 6px; padding: .2em .6em; overflow-x: auto; font-size: .85em; background: #f6f8fa; }
.kb-code pre { margin: .3em 0; }
hr#answer { border: none; border-top: 1px solid #d0d7de; margin: .8em 0; }
.nightMode.card, .night_mode .card, .card.nightMode { color: #e6edf3; background: #161b22; }
.nightMode .kb-kind, .night_mode .kb-kind { color: #9fa8da; }
.nightMode .kb-value, .night_mode .kb-value { color: #56d364; }
.nightMode .kb-ask, .nightMode .kb-h, .night_mode .kb-ask, .night_mode .kb-h { color: #8b949e; }
.nightMode .kb-link a, .night_mode .kb-link a { color: #9fa8da; }
.nightMode code, .night_mode code { background: #2d333b; }
.nightMode .kb-code, .night_mode .kb-code { background: #272822; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #30363d; }
""" + code_css()
