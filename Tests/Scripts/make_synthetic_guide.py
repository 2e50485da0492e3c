#!/usr/bin/env python3
"""Write a deterministic synthetic guide for benchmarks.

    python3 Tests/Scripts/make_synthetic_guide.py --pages 1000 --out /tmp/guide-1k [--seed 1]

N question pages spread round-robin over the levels junior/mid/senior, a guide.yml with those
levels and a dozen tags (no snippets, no synonyms), index.md and levels/<level>.md. Each question
has front matter (title, level, tags, summary, order), the `##` sections of docs/format.md with
`###` sub-headings, paragraphs with emphasis and code spans, bullet lists, fenced code blocks and
relative links to other generated questions, some with `#anchors` to headings that exist there.
The pages are about 7 KB each, like the real guide's questions (about 7.5 KB).

Same --pages and --seed give byte-identical files: every page draws from its own
random.Random seeded with (seed, page number), so a page can be regenerated (and its headings
known for anchors) without generating the others. The output folder is replaced.
"""
import argparse
import os
import random
import re
import shutil

LEVELS = ["junior", "mid", "senior"]
LEVEL_NAMES = {"junior": "Junior", "mid": "Mid-level", "senior": "Senior"}
TAGS = {
    "cnn": "Convolutional networks",
    "augmentation": "Data augmentation",
    "training": "Training and optimisation",
    "regularization": "Overfitting and regularisation",
    "data": "Data, labels and splits",
    "metrics": "Evaluation metrics",
    "detection": "Object detection",
    "segmentation": "Segmentation",
    "architecture": "Model architectures",
    "efficiency": "Quantization, pruning and distillation",
    "deployment": "Deployment and serving",
    "system-design": "System design",
}
TAG_IDS = sorted(TAGS)

WORDS = (
    "image pixel kernel stride padding channel feature map layer network gradient loss batch "
    "epoch label dataset split anchor box threshold score recall precision detector backbone "
    "encoder decoder mask class camera frame latency throughput memory budget model weight bias "
    "activation normalization dropout optimizer schedule warmup augmentation crop flip scale "
    "resolution pyramid region proposal suppression overlap union intersection metric curve "
    "average deployment quantization pruning distillation sensor lidar fusion tracking drift "
    "monitoring pipeline annotation error variance baseline benchmark experiment ablation"
).split()
VERBS = (
    "reduces increases changes controls limits improves measures hides shows explains shifts "
    "balances trades stabilizes accelerates filters ranks"
).split()
ADJ = "small large noisy clean deep shallow fast slow robust fragile sparse dense stable".split()
TOPICS = (
    "Receptive field growth|Why stride matters|Padding and borders|Batch statistics|Learning rate "
    "warmup|Anchor assignment|Score thresholds|Class imbalance|Label noise|Evaluation protocol|"
    "Memory footprint|Latency budget|Calibration data|Failure analysis|Data leakage|Feature reuse|"
    "Loss weighting|Small objects|Occlusion handling|Domain shift|Export formats|Batching at "
    "inference|Monitoring in production|Rollback plan|Ablation design|Baseline choice"
).split("|")
CODE_LANGS = ["swift", "python", "text"]


def slug(text):
    """The heading slug rule of docs/format.md: lower-case, letters/digits kept, rest collapsed to -."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def rng_for(seed, i):
    return random.Random(f"{seed}:{i}")


def path_of(i):
    level = LEVELS[i % 3]
    return f"questions/{level}/q-{i:05d}.md"


def subheadings(seed, i):
    """The ### headings of page i (distinct), drawn first from the page's own RNG."""
    return rng_for(seed, i).sample(TOPICS, 4)


def sentence(r, words=None):
    n = r.randint(9, 18)
    out = []
    for k in range(n):
        roll = r.random()
        if roll < 0.12:
            w = r.choice(VERBS)
        elif roll < 0.25:
            w = r.choice(ADJ)
        else:
            w = r.choice(WORDS)
        if k and r.random() < 0.06:
            w = f"*{w}*"
        elif k and r.random() < 0.05:
            w = f"`{w}_{r.randint(1, 9)}`"
        elif k and r.random() < 0.02:
            w = f"**{w}**"
        out.append(w)
    s = " ".join(out)
    return s[0].upper() + s[1:] + "."


def paragraph(r, n=None):
    text = " ".join(sentence(r) for _ in range(n or r.randint(3, 6)))
    # wrap at ~100 columns like hand-written Markdown
    lines, line = [], ""
    for w in text.split(" "):
        if line and len(line) + 1 + len(w) > 100:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return "\n".join(lines)


def bullets(r, n):
    return "\n".join(f"- {sentence(r)}" for _ in range(n))


def code_block(r):
    lang = r.choice(CODE_LANGS)
    a, b = r.choice(WORDS), r.choice(WORDS)
    lines = [
        f"func {a}Score(_ {b}: [Double], threshold: Double = 0.{r.randint(1, 9)}) -> Double {{",
        f"    let kept = {b}.filter {{ $0 >= threshold }}",
        "    guard !kept.isEmpty else { return 0 }",
        f"    return kept.reduce(0, +) / Double(kept.count) * {r.randint(2, 64)}",
        "}",
    ]
    return f"```{lang}\n" + "\n".join(lines) + "\n```"


def link_to(seed, r, n, i, label=None):
    """A relative link from page i to another generated question, sometimes with an anchor."""
    j = r.randrange(n - 1)
    if j >= i:
        j += 1
    here = os.path.dirname(path_of(i))
    target = os.path.relpath(path_of(j), here)
    roll = r.random()
    anchor = ""
    if roll < 0.25:
        anchor = "#" + slug(r.choice(subheadings(seed, j)))
    elif roll < 0.4:
        anchor = "#" + r.choice(["60-second-answer", "deeper-explanation", "key-points"])
    text = label or f"question {j}"
    return f"[{text}]({target}{anchor})"


def question(seed, n, i):
    r = rng_for(seed, i)
    subs = r.sample(TOPICS, 4)  # same draw as subheadings(seed, i)
    level = LEVELS[i % 3]
    tags = r.sample(TAG_IDS, r.randint(1, 3))
    title = f"Question {i}, how does the {r.choice(ADJ)} {r.choice(WORDS)} affect the {r.choice(WORDS)}?"
    summary = sentence(r).rstrip(".")
    out = [
        "---",
        f"title: {title}",
        f"level: {level}",
        f"tags: [{', '.join(tags)}]",
        f"summary: {summary}.",
        f"order: {i}",
        "---",
        "",
        paragraph(r, 2),
        "",
        "## 60-second answer",
        "",
        paragraph(r, 6),
        "",
        "## Deeper explanation",
        "",
        paragraph(r),
        "",
    ]
    for k, h in enumerate(subs):
        out += [f"### {h}", "", paragraph(r), ""]
        if k == 1:
            out += [code_block(r), ""]
        if k == 2:
            out += [f"See also {link_to(seed, r, n, i)} and {link_to(seed, r, n, i)}.", "", paragraph(r, 2), ""]
    out += ["## Key points", "", bullets(r, r.randint(4, 6)), ""]
    out += ["## Follow-up questions", ""]
    for _ in range(3):
        out.append(f"- **{sentence(r)[:-1]}?** {sentence(r)} {sentence(r)}")
    out += ["", "## Pitfalls and red flags", "", bullets(r, r.randint(3, 5)), ""]
    out += ["## Related", ""]
    for _ in range(3):
        out.append(f"- {link_to(seed, r, n, i)}")
    out.append("")
    return "\n".join(out)


def guide_yml(n):
    lines = [
        f"title: Synthetic guide ({n} questions)",
        "description: A generated guide for benchmarks.",
        "author: make_synthetic_guide.py",
        'site_url: ""',
        "raw_html: escape",
        "",
        "levels:",
    ]
    for l in LEVELS:
        lines += [f"  - id: {l}", f"    name: {LEVEL_NAMES[l]}"]
    lines += ["", "tags:"] + [f"  {t}: {TAGS[t]}" for t in TAG_IDS]
    return "\n".join(lines) + "\n"


def index_md(seed, n):
    r = rng_for(seed, "index")
    links = ", ".join(f"[{LEVEL_NAMES[l]}](levels/{l}.md)" for l in LEVELS)
    return (
        "---\ntitle: Synthetic guide\nsummary: Generated questions for benchmarks.\n---\n\n"
        f"{paragraph(r, 3)}\n\nLevels: {links}.\n\n## How to use it\n\n{paragraph(r, 3)}\n"
    )


def level_md(seed, n, level):
    r = rng_for(seed, level)
    first = LEVELS.index(level)
    some = [j for j in range(first, min(n, first + 30), 3)][:5]
    links = "\n".join(f"- [Question {j}](../{path_of(j)})" for j in some)
    return (
        f"---\ntitle: {LEVEL_NAMES[level]}\nlevel: {level}\nsummary: {sentence(r)}\n---\n\n"
        f"{paragraph(r, 4)}\n\n## What the role involves\n\n{paragraph(r, 4)}\n\n"
        f"## Where to start\n\n{links}\n"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.pages < 3:
        ap.error("--pages must be at least 3")
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    for l in LEVELS:
        os.makedirs(os.path.join(a.out, "questions", l))
    os.makedirs(os.path.join(a.out, "levels"))

    def write(rel, text):
        with open(os.path.join(a.out, rel), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    write("guide.yml", guide_yml(a.pages))
    write("index.md", index_md(a.seed, a.pages))
    for l in LEVELS:
        write(f"levels/{l}.md", level_md(a.seed, a.pages, l))
    for i in range(a.pages):
        write(path_of(i), question(a.seed, a.pages, i))


if __name__ == "__main__":
    main()
