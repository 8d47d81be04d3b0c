"""The knowledge folder's own word lists and the tokenizer built from them.

Data files (all optional) beside the documents:
- ``userdict.txt``: jieba user dictionary, ``word [freq] [tag]`` a line;
- ``synonyms.yaml``: ``term: [variant, ...]``; variants are matched as the term.
Stop words (question words, particles) are language data shipped with the package.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path

from bot.core import files
from bot.core._jieba import jieba
from bot.core.errors import KnowledgeError
from bot.core.resources import LanguageResources
from bot.core.text import CJK, Normalizer
from bot.core.yamlfile import read_mapping

USERDICT_FILE = "userdict.txt"
SYNONYMS_FILE = "synonyms.yaml"

jieba.setLogLevel(logging.WARNING)  # jieba prints its loading progress to stderr otherwise


@dataclass(slots=True)
class Lexicon:
    user_words: dict[str, int | None] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)  # variant -> term, both normalised
    stopwords: frozenset[str] = frozenset()


def knowledge_folder(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def load_stopwords() -> frozenset[str]:
    text = importlib_resources.files("bot.core").joinpath("data/stopwords.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def load_lexicon(folder: Path, normalize: Normalizer) -> Lexicon:
    lexicon = Lexicon(stopwords=load_stopwords())
    userdict = folder / USERDICT_FILE
    if files.present(userdict):
        for n, line in enumerate(files.read_text(userdict).splitlines(), 1):
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            freq = fields[1] if len(fields) > 1 else None
            if freq is not None and not freq.isdigit():
                raise KnowledgeError(f"{userdict}:{n}: frequency must be a whole number: {freq!r}")
            lexicon.user_words[normalize(fields[0])] = int(freq) if freq else None
    synonyms = folder / SYNONYMS_FILE
    if files.present(synonyms):
        for term, variants in read_mapping(synonyms, "'term: [variants]' entries").items():
            if not isinstance(variants, list):
                raise KnowledgeError(f"{synonyms}: {term!r} needs a list of variants")
            canonical = normalize(str(term))
            for variant in variants:
                lexicon.synonyms[normalize(str(variant))] = canonical
    return lexicon


class Tokenizer:
    """jieba over the trimmed dictionary plus the knowledge's terms; owns its jieba instance."""

    def __init__(self, language: LanguageResources, lexicon: Lexicon) -> None:
        self._jieba = jieba.Tokenizer(str(language.dictionary))
        self._jieba.tmp_dir = str(language.folder)
        self._jieba.initialize()
        self._lexicon = lexicon
        for word, freq in lexicon.user_words.items():
            self._jieba.add_word(word, freq)
        for word in {*lexicon.synonyms, *lexicon.synonyms.values()}:
            if word not in self._jieba.FREQ or not self._jieba.FREQ[word]:
                self._jieba.add_word(word, self._jieba.suggest_freq(word, tune=False) or 50)

    def add_terms(self, words: list[str]) -> None:
        """Make jieba keep these words whole (names the document sets in quotation marks)."""
        for word in words:
            if not self._jieba.FREQ.get(word):
                self._jieba.add_word(word, self._jieba.suggest_freq(word, tune=False) or 50)

    def dictionary(self) -> Iterator[tuple[str, int]]:
        """The words jieba knows, with how often each occurs (its trimmed dictionary and the
        knowledge's terms)."""
        return ((word, freq) for word, freq in self._jieba.FREQ.items() if freq)

    def tokens(self, text: str) -> list[str]:
        """jieba's tokens of normalised text, punctuation and spaces dropped."""
        out = []
        stop = self._lexicon.stopwords
        for token in self._jieba.cut(text, HMM=True):
            token = token.strip()
            if len(token) > 1 and token not in self._jieba.FREQ:
                # A word jieba's HMM guessed: do not let it swallow a particle (要建 -> 要, 建).
                if token[0] in stop:
                    out.append(token[0])
                    token = token[1:]
                if len(token) > 1 and token[-1] in stop:
                    out.extend((token[:-1], token[-1]))
                    continue
            if token and _is_wordlike(token):
                out.append(token)
        return out

    def proper_nouns(self, text: str) -> list[str]:
        """Names jieba's dictionary does not know, in normalised text: the words of two or more
        Chinese characters its HMM put together (魏泰, 法兰明) and names joined by "·" (伊恩·法兰明)."""
        freq = self._jieba.FREQ
        found = [t for t in self.tokens(text) if len(t) >= 2 and _ALL_CJK.match(t) and not freq.get(t)]
        return found + _DOT_NAME.findall(text)

    def content(self, tokens: list[str]) -> list[str]:
        """The tokens that carry meaning, synonyms folded to the speech's terms."""
        synonyms, stop = self._lexicon.synonyms, self._lexicon.stopwords
        return [synonyms.get(t, t) for t in tokens if t not in stop]

    def words(self, text: str) -> list[str]:
        """Content words of normalised text."""
        return self.content(self.tokens(text))

    def frequency(self, word: str) -> int:
        """How common the word is in jieba's dictionary (0: not a dictionary word)."""
        return self._jieba.FREQ.get(word) or 0

    def is_stopword(self, token: str) -> bool:
        return token in self._lexicon.stopwords

    def terms(self, words: list[str]) -> list[str]:
        """Index terms: each word, plus inside a long word every character pair and the
        three-character dictionary words (like jieba's search mode, but with all pairs, so a
        question split differently from the speech still meets it: 建档立册 holds 建档, 档立, 立册)."""
        freq = self._jieba.FREQ
        out = []
        for word in words:
            out.append(word)
            if len(word) > 2:
                for n in (2, 3):
                    for i in range(len(word) - n + 1):
                        gram = word[i : i + n]
                        if (
                            gram != word
                            and (n == 2 or freq.get(gram))
                            and gram not in self._lexicon.stopwords
                        ):
                            out.append(self._lexicon.synonyms.get(gram, gram))
        return out


_ALL_CJK = re.compile(r"[\u4e00-\u9fff]+$")
_DOT_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}[·・•][\u4e00-\u9fff]{1,6}")


def _is_wordlike(token: str) -> bool:
    return bool(CJK.search(token)) or any(ch.isalnum() for ch in token)
