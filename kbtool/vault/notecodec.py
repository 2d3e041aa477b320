"""How the parse cache stores a note: pickled, then deflated against a dictionary.

A pickled note is about 1.5 times the size of its file (3.3 KB for a seed-shaped
note of 2.2 KB), so a cache of plain pickles was twice the size of the vault. Each note
is compressed on its own, so that one can be read without the others, and most of a
note is what every note of the vault repeats (the note model's names, the frontmatter
keys, the folders, the tags and link targets in use): deflate finds those in a
dictionary made once per cache file from the first notes stored in it, and a note
takes a quarter of its pickle. zlib level 1: the fastest, and within a few per cent of
the best on these small inputs.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable

from kbtool.model import Note

#: The dictionary's size: deflate looks back 32 KiB at most.
DICTIONARY_BYTES = 32 * 1024
#: Notes whose pickles make the dictionary.
DICTIONARY_NOTES = 64
_RAW = -15  # deflate without zlib's header and checksum: the row has its own checksum


def pickled(note: Note) -> bytes:
    return pickle.dumps(note, protocol=pickle.HIGHEST_PROTOCOL)


def make_dictionary(pickles: Iterable[bytes]) -> bytes:
    """A dictionary from some notes' pickles: their last `DICTIONARY_BYTES` (deflate
    prefers matches at the end of a dictionary, nearest the data)."""
    return b"".join(pickles)[-DICTIONARY_BYTES:]


def encode(pickle_bytes: bytes, dictionary: bytes) -> tuple[bytes, int]:
    """A note's pickle as stored, and the checksum of what is stored."""
    packer = zlib.compressobj(1, zlib.DEFLATED, _RAW, zdict=dictionary)
    blob = packer.compress(pickle_bytes) + packer.flush()
    return blob, zlib.crc32(blob)


def decode(blob: object, crc: object, dictionary: bytes | None) -> Note | None:
    """The note stored as `blob`, or None when it cannot be trusted: a checksum that
    does not match, no dictionary, a deflate stream that does not end, or a pickle that
    is not a note."""
    if not isinstance(blob, bytes) or dictionary is None or zlib.crc32(blob) != crc:
        return None
    try:
        unpacker = zlib.decompressobj(_RAW, zdict=dictionary)
        data = unpacker.decompress(blob)
        if not unpacker.eof or unpacker.unused_data:
            return None
        note = pickle.loads(data)
    except Exception:  # a damaged row is a miss, never a crash
        return None
    return note if isinstance(note, Note) else None
