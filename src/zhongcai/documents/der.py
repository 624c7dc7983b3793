"""Strict checks of a PDF signature's CMS blob, for the bytes that no digest covers.

A PDF signature's digest covers the file except the /Contents hole, and the signature value
covers only the signed attributes. The rest of the CMS (lengths, versions, the list of digest
algorithms, empty algorithm parameters) could be changed without any cryptographic check
noticing. An issued document must fail verification after any change (issue 5), so these
parts are held to what the CMS standard (RFC 5652) and DER prescribe.
"""

from __future__ import annotations

from asn1crypto import cms


def strict_der(data: bytes) -> bool:
    """Whether ``data`` is one DER value whose every constructed value its children fill exactly.

    Definite, minimal lengths only; no end-of-contents (tag 0) values, which DER never has and
    which zero padding would otherwise pass for.
    """
    return _walk(data, 0, len(data), depth=0) and _one_value(data)


def _one_value(data: bytes) -> bool:
    header = _header(data, 0, len(data))
    return header is not None and header[2] + header[3] == len(data)


def _header(data: bytes, pos: int, end: int) -> tuple[int, bool, int, int] | None:
    """(tag byte, constructed, content start, content length) of the value at ``pos``."""
    if pos >= end:
        return None
    first = data[pos]
    if first == 0:
        return None
    pos += 1
    if first & 0x1F == 0x1F:  # high tag number form
        while True:
            if pos >= end:
                return None
            byte = data[pos]
            pos += 1
            if not byte & 0x80:
                break
    if pos >= end:
        return None
    length = data[pos]
    pos += 1
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or pos + count > end:
            return None  # indefinite length, or absurd
        length = int.from_bytes(data[pos : pos + count], "big")
        if length < 0x80 or data[pos] == 0:
            return None  # not the shortest form
        pos += count
    if pos + length > end:
        return None
    return first, bool(first & 0x20), pos, length


def _walk(data: bytes, pos: int, end: int, *, depth: int) -> bool:
    if depth > 64:
        return False
    while pos < end:
        header = _header(data, pos, end)
        if header is None:
            return False
        _, constructed, start, length = header
        if constructed and not _walk(data, start, start + length, depth=depth + 1):
            return False
        pos = start + length
    return pos == end


def _null_or_absent(algorithm: cms.DigestAlgorithm) -> bool:
    return algorithm["parameters"].dump() in (b"", b"\x05\x00")


def conforms(content: cms.ContentInfo) -> bool:
    """The unsigned fields of a SignedData hold what RFC 5652 § 5 says they must."""
    try:
        if content["content_type"].native != "signed_data":
            return False
        signed = content["content"]
        signer_infos = list(signed["signer_infos"])
        if not signer_infos:
            return False
        uses_key_ids = False
        for info in signer_infos:
            by_key_id = info["sid"].name == "subject_key_identifier"
            uses_key_ids = uses_key_ids or by_key_id
            # § 5.3: v1 with issuer and serial number, v3 with a subject key identifier.
            if info["version"].native != ("v3" if by_key_id else "v1"):
                return False
            if not _null_or_absent(info["digest_algorithm"]):
                return False
        plain_data = signed["encap_content_info"]["content_type"].native == "data"
        # § 5.1, without attribute or "other" certificates, which a PDF signature never has.
        expected = "v1" if plain_data and not uses_key_ids else "v3"
        if signed["version"].native != expected:
            return False
        declared = list(signed["digest_algorithms"])
        if not all(_null_or_absent(a) for a in declared):
            return False
        # The set names the digest algorithms of the signers, no more, no fewer.
        return {a.dump() for a in declared} == {i["digest_algorithm"].dump() for i in signer_infos}
    except (ValueError, TypeError, KeyError):
        return False
