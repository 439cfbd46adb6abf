"""Tokenizing and counting. Words are runs of Unicode letters and digits, found with the regex package: compiled
code, so pybundle puts it in the environment archive, while this package goes in the py-files zip."""
import pkgutil

import regex

_WORD = regex.compile(r"[\p{L}\p{N}']+")
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
