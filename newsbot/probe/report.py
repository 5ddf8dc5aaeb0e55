"""What ``newsbot add`` shows the operator: the discovery found, the article pattern, platform,
language and timezone with where they come from, a sample extraction and the proposed entry."""

from __future__ import annotations

import textwrap

from newsbot.config.sources_append import entry_yaml
from newsbot.probe.proposal import Found, Proposal, Sample

SAMPLE_LINES = 3
LINE_WIDTH = 96


def format_proposal(proposal: Proposal) -> str:
    p = proposal
    lines = ["Discovery"]
    lines += _sources("sitemaps", p.sitemaps, "none")
    lines += _sources("feeds", p.feeds, "none")
    lines += _sources("listings", p.listings, "none (no listing page links the articles)")
    walk = "yes (the ids are rising numbers)" if p.id_walk else "no"
    if not p.id_walk and p.group.pattern.numeric:
        walk = "no (the ids are numbers, but too far apart to walk)"
    elif not p.id_walk:
        walk = "no (the ids are not numbers)"
    lines.append(f"  id walk    {walk}")
    counts = ", ".join(f"{hit} of {total} {source} URLs" for source, (hit, total) in
                       p.matched.items())  # fmt: skip
    lines += [
        f"Articles     {p.group.pattern.pattern}",
        f"             matches {counts}; e.g. {p.group.urls[0]}",
        f"Canonical    {p.group.pattern.canonical}",
        f"Platform     {p.platform or 'none detected (generic extraction)'}",
        *(
            [f"Body         drawn by script from embedded JSON ({p.embedded}); read from it"]
            if p.embedded
            else []
        ),
        f"Language     {p.language or 'not stated'}",
        f"Timezone     {p.timezone.name} ({p.timezone.reason})",
        "Sample extraction",
    ]
    for sample in p.samples:
        lines += _sample(sample)
    if not p.samples:
        lines.append("  (no article page could be fetched)")
    for warning in p.warnings:
        lines.append(f"Warning: {warning}")
    lines += ["Proposed entry", entry_yaml(p.entry).rstrip("\n")]
    return "\n".join(lines)


def _sources(label: str, found: list[Found], empty: str) -> list[str]:
    if not found:
        return [f"  {label:<10} {empty}"]
    return [f"  {label if i == 0 else '':<10} {f.url} ({f.note})" for i, f in enumerate(found)]


def _sample(sample: Sample) -> list[str]:
    lines = [f"  {sample.url}"]
    item = sample.item
    if item is None:
        return [*lines, f"    {sample.error}"]
    published = item.published.isoformat() if item.published else "none found"
    lines += [
        f"    title  {item.title}",
        f"    date   {published}",
        f"    body   {len(item.body_text):,} characters",
    ]
    body = [line for line in item.body_text.splitlines() if line.strip()][:SAMPLE_LINES]
    lines += [f"      | {textwrap.shorten(line, LINE_WIDTH, placeholder=' …')}" for line in body]
    return lines
