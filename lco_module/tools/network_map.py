"""The eco-map of a client's network, drawn as SVG on the server: the client
in the centre, a ring for each closeness, each person a labelled node
coloured by kind and marked by status, the tie's line showing how close or
strained it is. Every text is escaped here: the markup is shown unsanitised
(an Html field cannot keep SVG otherwise)."""

import math

from markupsafe import Markup, escape

SIZE = 400
CENTRE = SIZE / 2
# The ring of each closeness, from the centre out.
RINGS = {"close": 70, "further": 120, "strained": 165}
NODE_RADIUS = 15
# Contrast with white (the status mark) and with the white page: 4.5:1 or more.
KIND_COLOURS = {"network": "#2e7d32", "professional": "#1565c0"}
STRAINED_COLOUR = "#c62828"
LINE_COLOUR = "#616161"
TEXT_COLOUR = "#212121"
# The mark drawn in a node for its status ("not asked" is a dashed outline).
STATUS_MARKS = {
    "asked": "?",
    "will_come": "+",
    "declined": "\u00d7",
    "at_table": "\u2713",
}
MAX_LABEL = 16


def _short(name):
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "\u2026"


def network_svg(title, client_name, people, labels, svg_id="lco_network_map"):
    """SVG markup of the map.

    ``people``: dicts with name, relationship, closeness, kind, status (the
    keys) and ``text`` (the person in words: name, relationship, closeness,
    status, in the reader's language). ``labels``: the words of the legend
    (``empty``). Returns Markup."""
    desc = "; ".join(person["text"] for person in people) or labels["empty"]
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
            'width="100%" style="max-width: 480px; height: auto;" role="img" '
            'class="lco_network_map" aria-labelledby="{id}_title {id}_desc" '
            'font-family="sans-serif">'
        ).format(size=SIZE, id=escape(svg_id)),
        Markup('<title id="{}_title">{}</title>').format(svg_id, title),
        Markup('<desc id="{}_desc">{}</desc>').format(svg_id, desc),
    ]
    for radius in RINGS.values():
        parts.append(
            Markup(
                '<circle cx="{c}" cy="{c}" r="{r}" fill="none" stroke="#bdbdbd" '
                'stroke-width="1"/>'
            ).format(c=CENTRE, r=radius)
        )
    count = len(people) or 1
    nodes = []
    for index, person in enumerate(people):
        # Spread around the circle; a small turn per ring keeps labels apart.
        angle = 2 * math.pi * index / count - math.pi / 2
        radius = RINGS.get(person["closeness"], RINGS["further"])
        x = round(CENTRE + radius * math.cos(angle), 1)
        y = round(CENTRE + radius * math.sin(angle), 1)
        parts.append(_tie(person["closeness"], x, y))
        nodes.append(_node(person, x, y))
    parts.extend(nodes)
    parts.append(
        Markup(
            '<circle cx="{c}" cy="{c}" r="26" fill="#fff8e1" stroke="{t}" '
            'stroke-width="2"/><text x="{c}" y="{ty}" text-anchor="middle" '
            # A white halo: the name reads above the ties it overlaps.
            'font-size="12" font-weight="bold" fill="{t}" stroke="#ffffff" '
            'stroke-width="4" paint-order="stroke">{name}</text>'
        ).format(c=CENTRE, ty=CENTRE + 4, t=TEXT_COLOUR, name=_short(client_name))
    )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _tie(closeness, x, y):
    if closeness == "strained":
        # A zigzag in red: the strained tie reads without its colour too.
        points = []
        steps = 10
        for step in range(steps + 1):
            t = step / steps
            px = CENTRE + (x - CENTRE) * t
            py = CENTRE + (y - CENTRE) * t
            if 0 < step < steps:
                length = math.hypot(x - CENTRE, y - CENTRE) or 1
                offset = 5 if step % 2 else -5
                px += -(y - CENTRE) / length * offset
                py += (x - CENTRE) / length * offset
            points.append(f"{px:.1f},{py:.1f}")
        return Markup(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" '
            'stroke-dasharray="6 3" class="lco_tie_strained"/>'
        ).format(" ".join(points), STRAINED_COLOUR)
    width = 4 if closeness == "close" else 1.5
    return Markup(
        '<line x1="{c}" y1="{c}" x2="{x}" y2="{y}" stroke="{colour}" '
        'stroke-width="{w}" class="lco_tie_{kind}"/>'
    ).format(c=CENTRE, x=x, y=y, colour=LINE_COLOUR, w=width, kind=closeness)


def _node(person, x, y):
    colour = KIND_COLOURS.get(person["kind"], KIND_COLOURS["network"])
    not_asked = person["status"] == "not_asked"
    outline = (
        Markup('stroke="{}" stroke-width="3" stroke-dasharray="4 3"').format(
            TEXT_COLOUR
        )
        if not_asked
        else Markup('stroke="white" stroke-width="2"')
    )
    mark = STATUS_MARKS.get(person["status"], "")
    label_y = y + NODE_RADIUS + 13 if y >= CENTRE else y - NODE_RADIUS - 6
    return Markup(
        '<g class="lco_network_node lco_status_{status}"><title>{text}</title>'
        '<circle cx="{x}" cy="{y}" r="{r}" fill="{colour}" {outline}/>'
        '<text x="{x}" y="{my}" text-anchor="middle" font-size="15" '
        'font-weight="bold" fill="white" aria-hidden="true">{mark}</text>'
        '<text x="{x}" y="{ly}" text-anchor="middle" font-size="12" '
        'fill="{t}">{label}</text></g>'
    ).format(
        status=person["status"],
        text=person["text"],
        x=x,
        y=y,
        r=NODE_RADIUS,
        colour=colour,
        outline=outline,
        my=y + 5,
        mark=mark,
        ly=label_y,
        t=TEXT_COLOUR,
        label=_short(person["name"]),
    )
