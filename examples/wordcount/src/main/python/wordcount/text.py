"""Tokenizing and counting; pure Python so that it imports from a zip."""
import pkgutil
import re

_WORD = re.compile(r"[a-z0-9']+")
# pkgutil.get_data reads package data from a directory and from a zip alike.
STOP_WORDS = frozenset(pkgutil.get_data(__name__, "data/stopwords.txt").decode("utf-8").split())


def words(line):
    """The words of a line, lower-cased, without stop words."""
    return [w for w in _WORD.findall(line.lower()) if w not in STOP_WORDS]


def count(lines):
    """Word frequencies of an iterable of lines."""
    counts = {}
    for line in lines:
        for w in words(line):
            counts[w] = counts.get(w, 0) + 1
    return counts


def top(counts, n):
    """The n most frequent words, ties broken alphabetically."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
