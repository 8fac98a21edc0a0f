#!/usr/bin/env python3
"""Generate the quickstart dataset: product reviews -> star ratings, as OpenAI chat examples.

    python3 tools/make_reviews.py                       # writes pipelines/data/reviews.jsonl
    python3 tools/make_reviews.py --seed 42 --count 360 --out pipelines/data/reviews.jsonl \
        --truth pipelines/data/reviews.truth.json --readme pipelines/data/README.md

Each line is one example: an optional system prompt, the review as the user message and the
rating as the assistant answer ("Rating: 4 stars"; Portuguese reviews get "Avaliação: 4 estrelas"
with its accents). About 5% of the lines are deliberately broken, the way real exports break
(truncated lines, a trailing comma, Latin-1 bytes, a "bot" role, a missing answer, ...): the truth
file lists each one with its line number, what is wrong, and which stage of the quickstart
pipeline rejects it with which reject kind.

Deterministic: the same --seed and --count give byte-identical files on every Python >= 3.9
(only random.Random(seed).random/randrange/choice/shuffle are used; no hash() of strings, no set
iteration). Standard library only.
"""

import argparse
import json
import os
import random
import sys

SYSTEM = "You are a product review classifier. Answer with the star rating only."

# Real review data is J-shaped: many 5s, a bump of 1s, few in the middle.
RATING_WEIGHTS = [(5, 40), (4, 22), (3, 11), (2, 9), (1, 18)]
PORTUGUESE_SHARE = 0.25
WITHOUT_SYSTEM_SHARE = 0.2
BROKEN_SHARE = 0.05

# (name, plural, aspects)
PRODUCTS_EN = [
    ("headphones", True, ["sound", "battery life", "noise cancelling", "ear cushions", "Bluetooth connection"]),
    ("coffee maker", False, ["brew speed", "carafe", "coffee temperature", "water tank", "auto shut-off"]),
    ("running shoes", True, ["cushioning", "fit", "grip", "laces", "breathability"]),
    ("backpack", False, ["zippers", "shoulder straps", "laptop sleeve", "stitching", "water resistance"]),
    ("blender", False, ["motor", "jar", "blades", "noise level", "lid"]),
    ("smartwatch", False, ["battery life", "heart rate sensor", "screen", "strap", "companion app"]),
    ("desk lamp", False, ["brightness", "hinge", "color temperature", "touch controls", "base"]),
    ("electric kettle", False, ["boil time", "lid", "handle", "auto shut-off", "water gauge"]),
    ("yoga mat", False, ["grip", "thickness", "smell", "edges", "carry strap"]),
    ("phone case", False, ["fit", "buttons", "drop protection", "grip", "camera cutout"]),
    ("bluetooth speaker", False, ["bass", "battery life", "volume", "pairing", "waterproofing"]),
    ("air fryer", False, ["basket", "temperature control", "timer", "nonstick coating", "capacity"]),
    ("office chair", False, ["lumbar support", "armrests", "wheels", "gas lift", "seat cushion"]),
    ("vacuum cleaner", False, ["suction", "battery", "dust bin", "brush roll", "filter"]),
    ("mechanical keyboard", False, ["switches", "keycaps", "backlight", "stabilizers", "USB cable"]),
    ("water bottle", False, ["lid", "insulation", "seal", "paint", "straw"]),
]

OPENERS_EN = {
    5: ["Absolutely love {this} {p}!", "Best {p} I have ever owned.", "{This} {p} {is} fantastic.",
        "Five stars, no hesitation.", "I bought {it} on a friend's recommendation and I'm so glad I did."],
    4: ["Really good {p} overall.", "Very happy with {this} {p}, with one small complaint.",
        "Solid {p} for the price.", "Does exactly what I needed."],
    3: ["It's okay.", "Mixed feelings about {this} {p}.", "Average {p}, nothing special.",
        "Decent, but not what the photos suggest."],
    2: ["Disappointed with {this} {p}.", "Not great.", "I wanted to like {it}.", "Below expectations."],
    1: ["Terrible {p}.", "Do not buy {this} {p}.", "Complete waste of money.", "Broke after {n} days."],
}
DETAILS_EN = {
    5: ["The {a1} is excellent and the {a2} is better than I expected.",
        "I've used {it} every day for {n} months without a single problem.", "Worth every penny.",
        "Setup took less than five minutes.", "Already ordered a second one for my {relative}."],
    4: ["The {a1} is great, but the {a2} could be better.", "Only gripe: the {a2} feels a bit cheap.",
        "Would be five stars if the {a2} were sturdier.", "Took a few days to get used to the {a1}."],
    3: ["The {a1} is fine but the {a2} is disappointing.", "It works, but I expected more at this price.",
        "Some days it works perfectly, other days the {a2} acts up.", "Not bad, not great."],
    2: ["The {a2} stopped working after {n} weeks.", "The {a1} is noticeably worse than advertised.",
        "Customer support took {n} days to answer.", "I'm considering a return."],
    1: ["The {a2} fell apart almost immediately.", "It arrived damaged and the seller ignored my messages.",
        "Returned {it} the same week.", "Zero stars if I could."],
}
EXTRAS_EN = ["Shipping was fast.", "Delivery took {n} days.", "Bought {it} as a gift for my {relative}.",
             "The color matches the pictures."]
RELATIVES_EN = ["sister", "brother", "dad", "mom", "partner", "roommate"]

# (name with article, "o" or "a" for gender, aspects with their article, all singular)
PRODUCTS_PT = [
    ("o fone de ouvido", "o", ["o som", "a bateria", "o cancelamento de ruído", "a almofada", "a conexão Bluetooth"]),
    ("a cafeteira", "a", ["a jarra", "o reservatório", "a temperatura do café", "o desligamento automático", "o filtro"]),
    ("o tênis de corrida", "o", ["o amortecimento", "o solado", "o cadarço", "o tecido", "a palmilha"]),
    ("a mochila", "a", ["o zíper", "a alça", "o compartimento do notebook", "a costura", "o tecido"]),
    ("o liquidificador", "o", ["o motor", "o copo", "a lâmina", "a tampa", "o barulho"]),
    ("o relógio inteligente", "o", ["a bateria", "o sensor de batimentos", "a tela", "a pulseira", "o aplicativo"]),
    ("a luminária de mesa", "a", ["a haste", "a base", "o botão de toque", "a intensidade da luz", "o cabo"]),
    ("a chaleira elétrica", "a", ["a tampa", "a alça", "o desligamento automático", "o indicador de nível", "a base"]),
    ("o tapete de yoga", "o", ["o cheiro", "a espessura", "a aderência", "a alça de transporte", "o acabamento"]),
    ("a capinha de celular", "a", ["o encaixe", "a proteção da câmera", "o acabamento", "a borda", "o botão lateral"]),
    ("a caixa de som", "a", ["o grave", "a bateria", "o volume", "o pareamento", "a vedação"]),
    ("a fritadeira elétrica", "a", ["o cesto", "o termostato", "o timer", "o revestimento", "a capacidade"]),
    ("a cadeira de escritório", "a", ["o apoio lombar", "o braço", "a rodinha", "o pistão", "o assento"]),
    ("o aspirador de pó", "o", ["a sucção", "a bateria", "o reservatório", "a escova", "o filtro"]),
    ("o teclado mecânico", "o", ["o switch", "o keycap", "a iluminação", "o estabilizador", "o cabo USB"]),
    ("a garrafa térmica", "a", ["a tampa", "o isolamento", "a vedação", "a pintura", "o canudo"]),
]

OPENERS_PT = {
    5: ["Amei {este} {p}!", "Melhor {p} que já tive.", "Produto excelente, recomendo muito.",
        "Superou todas as minhas expectativas.", "Cinco estrelas sem pensar duas vezes."],
    4: ["Muito bom, com um pequeno porém.", "Gostei bastante {deste} {p}.", "Bom custo-benefício.",
        "Faz exatamente o que eu precisava."],
    3: ["É razoável.", "Sentimentos mistos sobre {este} {p}.", "Nada de especial.",
        "Funciona, mas esperava mais pelo preço."],
    2: ["Não gostei muito.", "Esperava bem mais {deste} {p}.", "Abaixo das expectativas.",
        "Não recomendo {este} {p}."],
    1: ["Péssimo produto.", "Não comprem {este} {p}.", "Dinheiro jogado fora.", "Quebrou depois de {n} dias."],
}
DETAILS_PT = {
    5: ["{A1} é excelente e {a2} é melhor do que eu esperava.", "Uso todos os dias há {n} meses sem nenhum problema.",
        "Vale cada centavo.", "Chegou antes do prazo e muito bem embalad{o}.", "Já comprei outr{o} para minha mãe."],
    4: ["{A1} é excelente, mas {a2} poderia ser melhor.", "Só não dou cinco estrelas porque {a2} parece frágil.",
        "Levei alguns dias para me acostumar com {a1}.", "Pelo preço, não tenho do que reclamar."],
    3: ["{A1} é razoável, mas {a2} é decepcionante.", "Às vezes funciona bem, às vezes {a2} dá problema.",
        "Não é ruim, mas também não é ótimo.", "Cumpre o básico e só."],
    2: ["{A2} parou de funcionar depois de {n} semanas.", "{A1} é bem pior do que o anunciado.",
        "O atendimento demorou {n} dias para responder.", "Estou pensando em devolver."],
    1: ["{A2} estragou quase imediatamente.", "Chegou com defeito e o vendedor ignorou minhas mensagens.",
        "Devolvi na mesma semana.", "Se pudesse, daria zero estrelas."],
}
EXTRAS_PT = ["A entrega foi rápida.", "A entrega demorou {n} dias.", "Comprei para dar de presente.",
             "A cor é igual à da foto."]

# The deliberate defects, in the order they are assigned to broken lines. `stage` and `kind`
# say which stage of pipelines/quickstart rejects the line and with which reject kind.
DEFECTS = [
    ("truncated_json", "ingest/jsonl", "invalid_json", "the line is cut off in the middle of the JSON"),
    ("trailing_comma", "ingest/jsonl", "invalid_json", "a trailing comma before the closing brace"),
    ("invalid_utf8", "ingest/jsonl", "invalid_utf8", "the line is Latin-1 encoded, not UTF-8 (e.g. byte 0xE7 for ç)"),
    ("unknown_role", "validate/chat", "unknown_role", 'the answer has role "bot" instead of "assistant"'),
    ("missing_assistant", "validate/chat", "missing_assistant", "the assistant answer is missing"),
    ("non_string_content", "validate/chat", "non_string_content", "the assistant content is the rating as a JSON number (e.g. 4), not a string"),
    ("empty_content", "validate/chat", "empty_content", 'the assistant content is ""'),
    ("unknown_message_key", "validate/chat", "extra_keys", 'the user message has an extra key "sentiment"'),
    ("blank_line", "ingest/jsonl", None, "an empty line (skipped by default; kind blank_line with blank_lines: reject)"),
    ("json_array", "ingest/jsonl", "not_object", "the line is a JSON array of messages, not an object"),
]


def weighted_rating(rng):
    total = sum(weight for _, weight in RATING_WEIGHTS)
    pick = rng.randrange(total)
    for rating, weight in RATING_WEIGHTS:
        if pick < weight:
            return rating
        pick -= weight
    raise AssertionError("unreachable")


def two_aspects(rng, aspects):
    first = rng.randrange(len(aspects))
    second = (first + 1 + rng.randrange(len(aspects) - 1)) % len(aspects)
    return aspects[first], aspects[second]


def compose(rng, opener, details, extras, fields, aspects, capitalized):
    """Opener + one or two details + sometimes an extra; each sentence names its own aspects."""
    chosen = [rng.choice(opener)]
    for _ in range(1 + (1 if rng.random() < 0.45 else 0)):
        sentence = rng.choice(details)
        if sentence not in chosen:
            chosen.append(sentence)
    if rng.random() < 0.3:
        chosen.append(rng.choice(extras))
    used = []
    parts = []
    for sentence in chosen:
        a1, a2 = two_aspects(rng, [a for a in aspects if a not in used] if len(aspects) - len(used) >= 2 else aspects)
        if "{a" in sentence or "{A" in sentence:
            used.extend((a1, a2))
        values = dict(fields, a1=a1, a2=a2)
        if capitalized:
            values.update(A1=a1[0].upper() + a1[1:], A2=a2[0].upper() + a2[1:])
        parts.append(sentence.format(**values))
    text = " ".join(parts)
    return text[0].upper() + text[1:]


def review_en(rng, rating):
    name, plural, aspects = rng.choice(PRODUCTS_EN)
    fields = {
        "p": name, "n": rng.randrange(2, 13), "relative": rng.choice(RELATIVES_EN),
        "this": "these" if plural else "this", "This": "These" if plural else "This",
        "is": "are" if plural else "is", "it": "them" if plural else "it",
    }
    text = compose(rng, OPENERS_EN[rating], DETAILS_EN[rating], EXTRAS_EN, fields, aspects, False)
    style = rng.random()
    if style < 0.08:
        text = text.lower()
    elif style < 0.13:
        text = text.rstrip(".!") + "!!"
    return text


def review_pt(rng, rating):
    name, gender, aspects = rng.choice(PRODUCTS_PT)
    bare = name.split(" ", 1)[1]
    fields = {
        "p": bare, "n": rng.randrange(2, 13), "o": gender,
        "este": "este" if gender == "o" else "esta", "deste": "deste" if gender == "o" else "desta",
    }
    return compose(rng, OPENERS_PT[rating], DETAILS_PT[rating], EXTRAS_PT, fields, aspects, True)


def answer(language, rating):
    if language == "pt":
        return "Avaliação: {} {}".format(rating, "estrela" if rating == 1 else "estrelas")
    return "Rating: {} {}".format(rating, "star" if rating == 1 else "stars")


def example(rng, force_language=None):
    rating = weighted_rating(rng)
    language = force_language or ("pt" if rng.random() < PORTUGUESE_SHARE else "en")
    review = review_pt(rng, rating) if language == "pt" else review_en(rng, rating)
    messages = []
    if rng.random() >= WITHOUT_SYSTEM_SHARE:
        messages.append({"role": "system", "content": SYSTEM})
    messages.append({"role": "user", "content": review})
    messages.append({"role": "assistant", "content": answer(language, rating)})
    return {"messages": messages}, language, rating


def dumps(value):
    return json.dumps(value, ensure_ascii=False)


def broken_line(rng, defect):
    """The bytes of one deliberately broken line (without its newline)."""
    value, _, rating = example(rng, force_language="pt" if defect == "invalid_utf8" else None)
    messages = value["messages"]
    if defect == "truncated_json":
        text = dumps(value)
        return text[: len(text) // 2 + rng.randrange(len(text) // 4)].encode("utf-8")
    if defect == "trailing_comma":
        return (dumps(value)[:-1] + ", }").encode("utf-8")
    if defect == "invalid_utf8":
        return dumps(value).encode("latin-1")
    if defect == "unknown_role":
        messages[-1]["role"] = "bot"
    elif defect == "missing_assistant":
        messages.pop()
    elif defect == "non_string_content":
        messages[-1]["content"] = rating
    elif defect == "empty_content":
        messages[-1]["content"] = ""
    elif defect == "unknown_message_key":
        messages[-2]["sentiment"] = "positive" if rating >= 4 else "negative"
    elif defect == "blank_line":
        return b""
    elif defect == "json_array":
        return dumps(messages).encode("utf-8")
    return dumps(value).encode("utf-8")


def generate(seed, count):
    rng = random.Random(seed)
    broken_count = max(len(DEFECTS), round(count * BROKEN_SHARE)) if count >= 4 * len(DEFECTS) else 0
    # Broken lines anywhere but the first line, so `head -1` shows a good example.
    positions = list(range(2, count + 1))
    rng.shuffle(positions)
    broken_at = {}
    for i, line in enumerate(sorted(positions[:broken_count])):
        broken_at[line] = DEFECTS[i % len(DEFECTS)]
    # Spread the defect kinds over the file rather than in DEFECTS order.
    kinds = [broken_at[line] for line in sorted(broken_at)]
    rng.shuffle(kinds)
    broken_at = dict(zip(sorted(broken_at), kinds))

    lines = []
    broken = []
    languages = {"en": 0, "pt": 0}
    ratings = {str(r): 0 for r in range(1, 6)}
    for line in range(1, count + 1):
        if line in broken_at:
            name, stage, kind, what = broken_at[line]
            lines.append(broken_line(rng, name))
            broken.append({"line": line, "defect": name, "stage": stage, "kind": kind, "what": what})
            continue
        value, language, rating = example(rng)
        languages[language] += 1
        ratings[str(rating)] += 1
        lines.append(dumps(value).encode("utf-8"))
    truth = {
        "generator": "tools/make_reviews.py",
        "seed": seed,
        "lines": count,
        "valid_examples": count - len(broken),
        "valid_by_language": languages,
        "valid_by_rating": ratings,
        "broken": broken,
    }
    return b"".join(line + b"\n" for line in lines), truth


def readme(truth, out_name, command, first):
    rejected = {}
    for item in truth["broken"]:
        if item["kind"] is not None:
            key = "{} by {}".format(item["kind"], item["stage"])
            rejected[key] = rejected.get(key, 0) + 1
    rows = "\n".join(
        "| {line} | `{defect}` | {what} | {verdict} |".format(
            line=item["line"], defect=item["defect"], what=item["what"],
            verdict="`{}` ({})".format(item["kind"], item["stage"]) if item["kind"] else "skipped, counted as `blank_lines_skipped`")
        for item in truth["broken"])
    by_rating = ", ".join("{} star: {}".format(r, n) if r == "1" else "{} stars: {}".format(r, n)
                          for r, n in sorted(truth["valid_by_rating"].items(), reverse=True))
    return """# Quickstart data

`{out}`: {lines} lines of product reviews labelled with their star rating, in the OpenAI chat
fine-tuning format, for the quickstart pipeline. Each good line is one example:

```json
{first}
```

About a fifth of the examples have no system message; about a quarter are Portuguese reviews
answered `Avaliação: N estrelas` (`1 estrela`). Ratings are skewed like real review data.

- good examples: {valid} ({en} English, {pt} Portuguese); {by_rating}
- broken lines: {nbroken}, listed below

## How it was made

Generated (do not edit by hand) with Python's standard library, deterministically: the same
seed gives the same bytes with any Python >= 3.9.

```sh
{command}
```

`reviews.truth.json` is the machine-readable version of the table below (for tests).

## The broken lines

Deliberately broken, the way real exports break, so the quickstart shows what ajuste does with
them. Each is rejected with its line number and a reason (see the run's rejects file), except the
blank line, which `ingest/jsonl` skips by default.

| line | defect | what is wrong | reject kind (stage) |
| ---: | --- | --- | --- |
{rows}

Expected outcome of the quickstart (ingest/jsonl -> validate/chat -> split/random): {valid}
examples reach the split; rejected: {rejected}.
""".format(out=out_name, lines=truth["lines"], first=first, valid=truth["valid_examples"],
           en=truth["valid_by_language"]["en"], pt=truth["valid_by_language"]["pt"], by_rating=by_rating,
           nbroken=len(truth["broken"]), command=command, rows=rows,
           rejected=", ".join("{} {}".format(n, k) for k, n in sorted(rejected.items())))


def main(argv):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    default_out = os.path.join(repo, "pipelines", "data", "reviews.jsonl")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--count", type=int, default=360, help="lines to write, broken ones included (default 360)")
    parser.add_argument("--out", default=default_out, help="output JSONL (default pipelines/data/reviews.jsonl)")
    parser.add_argument("--truth", help="where to write the list of broken lines as JSON "
                                        "(default: next to --out, <name>.truth.json)")
    parser.add_argument("--readme", help="also write a README describing the file and its broken lines")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")

    data, truth = generate(args.seed, args.count)
    truth_path = args.truth or os.path.splitext(args.out)[0] + ".truth.json"
    for path in (args.out, truth_path) + ((args.readme,) if args.readme else ()):
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
    with open(args.out, "wb") as out:
        out.write(data)
    with open(truth_path, "w", encoding="utf-8", newline="\n") as out:
        out.write(json.dumps(truth, ensure_ascii=False, indent=2) + "\n")
    if args.readme:
        command = "python3 tools/make_reviews.py --seed {} --count {} --out pipelines/data/reviews.jsonl \\\n" \
                  "    --truth pipelines/data/reviews.truth.json --readme pipelines/data/README.md".format(
                      args.seed, args.count)
        with open(args.readme, "w", encoding="utf-8", newline="\n") as out:
            first = data.split(b"\n", 1)[0].decode("utf-8")
            out.write(readme(truth, os.path.basename(args.out), command, first))
    print("wrote {} ({} lines, {} broken) and {}".format(args.out, truth["lines"], len(truth["broken"]), truth_path),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
