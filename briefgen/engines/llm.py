"""The LLM engine: the same two jobs as the extractive engine, done by a model.

`extract` renders prompts/extract.j2 around one chunk and asks for ChunkNotesAnswer; the
pipeline then grounds every note in the text, as it does for the extractive engine. `write`
gives the merged findings, numbered, to the audience's synthesis prompt and turns the answer
into a Draft whose citations are the finding numbers the model chose. When the findings do
not fit the synthesis budget they are shortlisted in bounded stages first. The draft is then
checked (verify.py); points that fail are sent back once with the reasons.

Transport, output modes and transient faults are llm_client's; validation and re-asks are
structured's; this module only knows prompts and schemas.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from briefgen.cache import text_hash
from briefgen.engines.llm_schema import (
    NOTE_LIMITS,
    SHORTLIST_MAX,
    BriefAnswer,
    ChunkNotesAnswer,
    ShortlistAnswer,
    numbered_sentences,
    to_draft,
    to_notes,
)
from briefgen.errors import LLMError, StructuredOutputError
from briefgen.ledger import CallRecord, Ledger, PlannedCall, Price, is_local_url, safe_url
from briefgen.llm_client import Completion, LLMClient
from briefgen.prompting import prompt_hash, render_messages, render_text
from briefgen.revision import kept_through_revision
from briefgen.schema import (
    Article,
    Audience,
    Chunk,
    ChunkNotes,
    Digest,
    Draft,
    Entity,
    Finding,
)
from briefgen.structured import ask
from briefgen.synthesis_articles import Dating, article_budget, article_lines, planned_tokens
from briefgen.text import collapse_spaces, estimate_tokens, sentence_spans
from briefgen.verify import verify_draft

# Tokens of article per map call: big enough that the prompt and schema sent with every call
# are a small part of it, small enough that a small model's answer fits its output budget.
CHUNK_TOKENS = 1000
KEY_POINTS = {"exec": 6, "analyst": 10, "newsletter": 8}
# Room the synthesis answer may take, and how much a brief answer may grow on a re-ask.
SYNTHESIS_TOKENS = 1500
SHORTLIST_TOKENS = 400
# Staged reduce: each stage shortlists batches of the budget; never more stages than this.
MAX_STAGES = 3
# Fixed cost of a synthesis prompt besides its findings (rules, schema), for --dry-run.
SYNTHESIS_OVERHEAD = 1200
# The map prompt besides its chunk, measured: about 500 tokens of rules and title, plus 700
# of schema where the server cannot take it as a grammar. The smallest chunk worth a call.
EXTRACT_OVERHEAD = 1200
CHUNK_MARGIN = 1.25
MIN_CHUNK_TOKENS = 200
# Findings dropped at a time, as a share, from a synthesis prompt too long for the context.
CONTEXT_CUT = 10
# How many times a chunk whose answers keep being cut off may be halved.
MAX_SPLITS = 2


class LLMEngine:
    name = "llm"

    def __init__(
        self,
        client: LLMClient,
        *,
        model: str,
        ledger: Ledger | None = None,
        max_attempts: int = 3,
        max_output_tokens: int = 1024,
        synthesis_budget: int = 6000,
        prompts: Path | None = None,
        prices: Mapping[str, Price] | None = None,
        chunk_tokens: int = CHUNK_TOKENS,
        context_tokens: int | None = None,
    ) -> None:
        self._chunk_tokens = chunk_tokens
        self.context_tokens = context_tokens
        self._fitted: tuple[int, int] | None = None  # (chunk, answer) tokens, once known
        self.client = client
        self.prices = dict(prices or {})
        self.warnings: list[str] = []
        self.model = model
        self.ledger = ledger or Ledger()
        self.max_attempts = max_attempts
        self.max_output_tokens = max_output_tokens
        self.synthesis_budget = synthesis_budget
        self.prompts = prompts
        # Which call a completion belongs to: the client reports each HTTP completion to
        # on_call from the thread that made it, so the context is per thread.
        self._context = threading.local()
        client.on_call = self._on_call  # every HTTP completion lands in the ledger

    @property
    def chunk_tokens(self) -> int:
        """Article tokens per map call: CHUNK_TOKENS, or less when the model's context (the
        setting, else what the server reports) cannot hold that chunk, the prompt around it
        and the longest answer asked for."""
        return self._budget()[0]

    @property
    def answer_tokens(self) -> int:
        """The longest map answer asked for: max_output_tokens, or a quarter of a small
        context, so that the chunk keeps most of it."""
        return self._budget()[1]

    def _budget(self) -> tuple[int, int]:
        if self._fitted is None:
            context = self.context_tokens or self.client.context_size()
            if not context:
                self._fitted = (self._chunk_tokens, self.max_output_tokens)
            else:
                answer = min(self.max_output_tokens, context // 4)
                # Numbering the sentences adds about a token per line; the margin covers it
                # and the estimate's error (text.estimate_tokens is not the model's tokenizer).
                room = (context - answer - EXTRACT_OVERHEAD) / CHUNK_MARGIN
                chunk = max(MIN_CHUNK_TOKENS, min(self._chunk_tokens, int(room)))
                self._fitted = (chunk, answer)
        return self._fitted

    @property
    def base_url(self) -> str:
        return self.client.base_url

    @property
    def local(self) -> bool:
        """A server of one's own, where an unpriced model costs nothing."""
        return is_local_url(self.client.base_url)

    # ------------------------------------------------------------ cache keys

    def _identity(self) -> dict:
        # A model's name means something only at its endpoint ("llama3" on two servers may be
        # two models); the output budget decides what a long answer keeps.
        return {
            "engine": self.name,
            "model": self.model,
            "endpoint": safe_url(self.base_url),
            "max_output_tokens": self.max_output_tokens,
        }

    def notes_key(self, chunk: Chunk, article: Article) -> dict:
        """What a chunk's notes depend on (briefgen.cache hashes it into the key)."""
        return {
            "kind": "notes",
            **self._identity(),
            "prompt": prompt_hash("extract.j2", self.prompts),
            "chunk": text_hash(chunk.text),
            # The prompt also shows the title, source, date and part number: all in here.
            "messages": text_hash(self.extract_messages(chunk, article)),
        }

    def draft_key(
        self,
        digest: Digest,
        audience: Audience,
        articles: list[Article],
        dating: Dating | None = None,
    ) -> dict:
        """What a synthesis depends on: the findings given, the audience, the prompts, the
        dates it is told."""
        prompts = [f"brief-{audience}.j2", "shortlist.j2", "revise.j2"]
        return {
            "kind": "synthesis",
            **self._identity(),
            "audience": audience,
            "synthesis_budget": self.synthesis_budget,
            "prompt": text_hash([prompt_hash(name, self.prompts) for name in prompts]),
            "findings": text_hash([f.model_dump(mode="json") for f in digest.findings]),
            # Article ids hash their text, which revisions are verified against.
            "articles": text_hash([(a.id, a.title, a.source) for a in articles]),
            # The prompt tells the brief's date and each article's (settled from the whole
            # corpus, so they can move when another article is added).
            **({"dating": text_hash(dating.key())} if dating else {}),
        }

    # ------------------------------------------------------------ bookkeeping

    def _on_call(self, completion: Completion) -> None:
        ctx = getattr(self._context, "value", {"kind": "other"})
        self.ledger.record(
            CallRecord(
                model=self.model,
                mode=completion.mode,
                prompt_tokens=completion.prompt_tokens,
                completion_tokens=completion.completion_tokens,
                seconds=completion.seconds,
                requests=completion.requests,
                endpoint=completion.endpoint or None,
                **ctx,
            )
        )

    def _ask(self, messages, answer_type, *, max_tokens, context: dict, **kwargs):
        self._context.value = context
        started = time.perf_counter()
        try:
            return ask(
                self.client,
                messages,
                answer_type,
                max_attempts=self.max_attempts,
                max_tokens=max_tokens,
                max_tokens_cap=4 * max_tokens,
                **kwargs,
            )
        except LLMError as exc:
            self.ledger.record(
                CallRecord(
                    model=self.model,
                    mode="",
                    prompt_tokens=0,
                    completion_tokens=0,
                    seconds=round(time.perf_counter() - started, 3),
                    ok=False,
                    error=str(exc)[:500],
                    # An endpoint failure's requests were never answered, so no on_call
                    # counted them; a structured failure's answered attempts were.
                    requests=getattr(exc, "requests", 0),
                    **context,
                )
            )
            raise
        finally:
            self._context.value = {"kind": "other"}

    # ------------------------------------------------------------ reading

    def extract_messages(self, chunk: Chunk, article: Article) -> list[dict[str, str]]:
        # A sentence's own line breaks would look like a new numbered line: one line each.
        sentences = [
            collapse_spaces(article.text[s:e]) for s, e in numbered_sentences(chunk, article)
        ]
        return render_messages(
            "extract.j2",
            self.prompts,
            article=article,
            chunk=chunk,
            sentences=sentences,
            limits=NOTE_LIMITS,
        )

    def extract(self, chunk: Chunk, article: Article, splits: int = MAX_SPLITS) -> ChunkNotes:
        try:
            answer = self._ask(
                self.extract_messages(chunk, article),
                ChunkNotesAnswer,
                max_tokens=self.answer_tokens,
                context={"kind": "extract", "article_id": article.id, "chunk_index": chunk.index},
            )
        except StructuredOutputError as exc:
            halves = _halves(chunk, article) if splits and _all_cut_off(exc) else None
            if not halves:
                raise
            # Cut off even with more room: the passage has more to note than an answer can
            # hold. Two halves, each read on its own, make two answers that fit.
            notes = [self.extract(half, article, splits - 1) for half in halves]
            return _joined(notes, chunk)
        return to_notes(answer.value, chunk, article)

    # ------------------------------------------------------------ writing

    def write(
        self,
        digest: Digest,
        audience: Audience,
        articles: list[Article],
        dating: Dating | None = None,
    ) -> Draft:
        """The brief for `audience`; `dating` (the brief's date and each article's) lets the
        model tell what is over from what is still to come."""
        try:
            return self._write(digest, audience, articles, dating)
        except LLMError as exc:
            # The findings are read and grounded; losing the brief to one bad synthesis
            # would throw that away. The extractive writer makes it instead, and says so.
            from briefgen.engines.extractive import ExtractiveEngine

            self.warnings.append(
                f"the model's brief could not be used ({exc}); the extractive engine wrote it "
                "from the same findings"
            )
            return ExtractiveEngine().write(digest, audience, articles)

    def _write(
        self, digest: Digest, audience: Audience, articles: list[Article], dating: Dating | None
    ) -> Draft:
        if not digest.findings:
            # Nothing survived grounding: a model asked to write from nothing can only make
            # things up. Say so instead of calling it.
            self.warnings.append(
                "no note from the model could be found in the articles' text, so the brief "
                "has no points; try a more capable model, or --engine extractive"
            )
            title = next((a.title for a in articles if a.title), "No findings")
            return Draft(headline=title, bottom_line=[], key_points=[])
        chosen = self.shortlist(digest.findings, audience)
        chosen, messages = self._within_context(chosen, audience, articles, dating)
        answer = self._ask(
            messages, BriefAnswer, max_tokens=SYNTHESIS_TOKENS, context={"kind": "synthesis"}
        )
        draft = to_draft(answer.value, articles)
        checked = verify_draft(draft, digest, articles)
        problems = checked.problems
        if not problems:
            return draft
        # One revision: the model sees its answer and what failed. What still fails after
        # this is dropped by the pipeline, never shown.
        revise = render_text("revise.j2", self.prompts, problems=problems)
        retry = [
            *messages,
            {"role": "assistant", "content": answer.attempts[-1].raw},
            {"role": "user", "content": revise},
        ]
        try:
            again = self._ask(
                retry, BriefAnswer, max_tokens=SYNTHESIS_TOKENS, context={"kind": "revise"}
            )
        except LLMError:
            return draft
        # The revision answers with the whole brief; what passed the first time and it left
        # out comes back (revision.py), so fixing two points cannot cost the other five.
        # Both drafts as verified: with the findings each point rests on, not the ones the
        # model listed (a small model cites findings 1 to 6 for one sentence).
        revised = verify_draft(to_draft(again.value, articles), digest, articles).draft
        return kept_through_revision(checked.draft, [p.where for p in problems], revised)

    def brief_messages(
        self,
        findings: list[Finding],
        audience: Audience,
        articles: list[Article],
        dating: Dating | None = None,
    ) -> list[dict[str, str]]:
        # Only the articles these findings come from, within a budget of their own, so the
        # prompt stays the same size however many articles tell the same findings.
        budget = article_budget(self.synthesis_budget)
        listed, left_out = article_lines(
            findings, articles, budget, dating.articles if dating else None
        )
        return render_messages(
            f"brief-{audience}.j2",
            self.prompts,
            findings=[_finding_view(f) for f in findings],
            articles=listed,
            articles_more=left_out,
            as_of=dating.as_of.isoformat() if dating else "",
            limits={"key_points": KEY_POINTS[audience]},
        )

    def _within_context(
        self,
        findings: list[Finding],
        audience: Audience,
        articles: list[Article],
        dating: Dating | None = None,
    ) -> tuple[list[Finding], list[dict[str, str]]]:
        """The findings and synthesis messages, cut to the model's context (the setting, else
        what the server reports) where the prompt, the schema and the longest answer would
        not fit it: the default budget of 6,000 tokens of findings and 2,000 of articles is
        more than a model of 8k context can read. Findings come best first, so the last are
        dropped, a tenth at a time. A prompt that fits is left as it is."""
        messages = self.brief_messages(findings, audience, articles, dating)
        context = self.context_tokens or self.client.context_size()
        if not context:
            return findings, messages
        room = context - SYNTHESIS_TOKENS - SCHEMA_TOKENS[BriefAnswer]
        while len(findings) > 1 and _messages_tokens(messages) > room:
            findings = findings[: len(findings) - max(1, len(findings) // CONTEXT_CUT)]
            messages = self.brief_messages(findings, audience, articles, dating)
        return findings, messages

    def shortlist(self, findings: list[Finding], audience: Audience) -> list[Finding]:
        """Findings that fit the synthesis budget: all of them, or a shortlist made in stages.

        Each stage splits the pool into batches of the budget and asks the model for each
        batch's share of what fits; at most MAX_STAGES stages, after which the pool is cut by
        score, so the number of calls is bounded whatever the input.
        """
        pool = list(findings)
        budget = self.synthesis_budget
        for _stage in range(MAX_STAGES):
            if _findings_tokens(pool) <= budget:
                return pool
            # Each batch keeps its share of what fits, so one stage usually suffices.
            fit = max(1, len(pool) * budget // _findings_tokens(pool))
            kept: set[int] = set()
            for batch in _batches(pool, budget):
                keep = max(1, -(-len(batch) * fit // len(pool)))
                kept |= self._shortlist_batch(batch, audience, keep)
            pool = [f for f in pool if f.id in kept]
        while pool and _findings_tokens(pool) > budget:
            pool = pool[:-1]  # findings come best first
        return pool

    def _shortlist_batch(self, batch: list[Finding], audience: Audience, keep: int) -> set[int]:
        keep = min(SHORTLIST_MAX, keep)
        messages = render_messages(
            "shortlist.j2",
            self.prompts,
            findings=[_finding_view(f) for f in batch],
            articles=[],
            articles_more=0,
            keep=keep,
            audience=audience,
        )
        ids = {f.id for f in batch}
        try:
            answer = self._ask(
                messages,
                ShortlistAnswer,
                max_tokens=SHORTLIST_TOKENS,
                context={"kind": "shortlist"},
            )
            chosen = [i for i in answer.value.findings if i in ids][:keep]
        except LLMError:
            chosen = []
        # A batch whose shortlist failed keeps its best findings by score: the brief goes on.
        return set(chosen) or {f.id for f in batch[:keep]}

    # ------------------------------------------------------------ planning (--dry-run)

    def plan_extract(self, chunk: Chunk, article: Article) -> PlannedCall:
        prompt = sum(estimate_tokens(m["content"]) for m in self.extract_messages(chunk, article))
        return PlannedCall(
            kind="extract",
            article_id=article.id,
            chunk_index=chunk.index,
            prompt_tokens=prompt + SCHEMA_TOKENS[ChunkNotesAnswer],
            max_completion_tokens=self.max_output_tokens,
        )

    def plan_write(self, article_tokens: int, articles: Sequence[Article] = ()) -> PlannedCall:
        # The findings are not known before the map step: assume they restate about half of
        # the articles, within the budget; the articles they come from are listed within the
        # list's own budget, as write_messages lists them (synthesis_articles).
        findings = min(self.synthesis_budget, article_tokens // 2)
        listed = planned_tokens(articles, article_budget(self.synthesis_budget))
        return PlannedCall(
            kind="synthesis",
            article_id=None,
            chunk_index=None,
            prompt_tokens=findings + listed + SYNTHESIS_OVERHEAD + SCHEMA_TOKENS[BriefAnswer],
            max_completion_tokens=SYNTHESIS_TOKENS,
        )


SCHEMA_TOKENS = {
    t: estimate_tokens(str(t.model_json_schema())) for t in (ChunkNotesAnswer, BriefAnswer)
}


def _finding_view(f: Finding) -> dict:
    return {
        "id": f.id,
        "kind": f.kind,
        "corroboration": f.corroboration,
        "disputed": len(f.disputed_by),
        "text": f.text,
    }


def _messages_tokens(messages: list[dict[str, str]]) -> int:
    return sum(estimate_tokens(m["content"]) for m in messages)


def _findings_tokens(findings: list[Finding]) -> int:
    return sum(estimate_tokens(f.text) + 8 for f in findings)


def _batches(findings: list[Finding], budget: int) -> list[list[Finding]]:
    batches: list[list[Finding]] = [[]]
    used = 0
    for f in findings:
        cost = estimate_tokens(f.text) + 8
        if batches[-1] and used + cost > budget:
            batches.append([])
            used = 0
        batches[-1].append(f)
        used += cost
    return batches


def _all_cut_off(error: StructuredOutputError) -> bool:
    return bool(error.attempts) and all(
        getattr(a, "finish_reason", "") == "length" for a in error.attempts
    )


def _halves(chunk: Chunk, article: Article) -> tuple[Chunk, Chunk] | None:
    """The chunk as two chunks of whole sentences, or None if it is one sentence."""
    spans = sentence_spans(article.text, chunk.start, chunk.end)
    if len(spans) < 2:
        return None
    middle = spans[len(spans) // 2][0]

    def part(start: int, end: int) -> Chunk:
        text = article.text[start:end]
        return chunk.model_copy(
            update={"start": start, "end": end, "text": text, "tokens": estimate_tokens(text)}
        )

    return part(chunk.start, spans[len(spans) // 2 - 1][1]), part(middle, chunk.end)


def _joined(parts: list[ChunkNotes], chunk: Chunk) -> ChunkNotes:
    """Notes of a chunk's halves as the chunk's notes (entities merged by name)."""
    entities: dict[str, Entity] = {}
    for part in parts:
        for e in part.entities:
            if e.name in entities:
                entities[e.name].mentions += e.mentions
            else:
                entities[e.name] = e.model_copy()
    return ChunkNotes(
        article_id=chunk.article_id,
        chunk_index=chunk.index,
        claims=[c for p in parts for c in p.claims],
        quotes=[q for p in parts for q in p.quotes],
        figures=[f for p in parts for f in p.figures],
        events=[e for p in parts for e in p.events],
        entities=list(entities.values()),
    )
