#!/usr/bin/env python3
"""Builds hostile and damaged archives for the ingest tests (written with Python's own zipfile/tarfile/gzip, so the
test inputs do not come from the code under test). Usage: hostile_archives.py <out-dir>. Prints a JSON manifest."""
import gzip
import io
import json
import os
import stat
import sys
import tarfile
import time
import zipfile
import zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
manifest = {}
MTIME = (2024, 1, 15, 12, 0, 0)


def syslog(n, host="web-1", start=0):
    return "".join(
        f"Jan 15 10:{(start + i) // 60 % 60:02d}:{(start + i) % 60:02d} {host} sshd[{100 + i}]: Accepted publickey for alice from 10.0.0.{i % 250 + 1} port {40000 + i} ssh2\n"
        for i in range(n)
    ).encode()


def jsonl(n, start=0):
    return "".join(
        json.dumps({"time": f"2024-01-15T10:00:{(start + i) % 60:02d}Z", "user": f"u{start + i}", "action": "login", "seq": start + i}) + "\n"
        for i in range(n)
    ).encode()


def zinfo(name, mode=None):
    zi = zipfile.ZipInfo(name, date_time=MTIME)
    zi.compress_type = zipfile.ZIP_DEFLATED
    if mode is not None:
        zi.create_system = 3
        zi.external_attr = mode << 16
    return zi


def write_zip(name, entries):
    path = os.path.join(out, name)
    with zipfile.ZipFile(path, "w") as z:
        for e in entries:
            z.writestr(zinfo(e[0], e[2] if len(e) > 2 else None), e[1])
    return path


# 1. zip-slip and absolute names
manifest["zip_slip"] = write_zip("zip_slip.zip", [
    ("logs/good.log", syslog(3)),
    ("../../evil.log", b"escaped\n"),
    ("logs/../../../evil2.log", b"escaped\n"),
    ("/abs-evil.log", b"escaped\n"),
    ("C:\\Windows\\evil3.log", b"escaped\n"),
])

# 2. links and special files in a zip
manifest["zip_links"] = write_zip("zip_links.zip", [
    ("good.log", syslog(2)),
    ("link-to-passwd", b"/etc/passwd", stat.S_IFLNK | 0o777),
    ("fifo", b"", stat.S_IFIFO | 0o644),
])

# 3. tar with links, devices and escapes
tpath = os.path.join(out, "hostile.tar")
with tarfile.open(tpath, "w", format=tarfile.GNU_FORMAT) as t:
    def add(name, data=b"", type=tarfile.REGTYPE, linkname=""):
        ti = tarfile.TarInfo(name)
        ti.type = type
        ti.mtime = 1705320000
        ti.linkname = linkname
        ti.size = len(data) if type == tarfile.REGTYPE else 0
        if type in (tarfile.CHRTYPE, tarfile.BLKTYPE):
            ti.devmajor, ti.devminor = 1, 3
        t.addfile(ti, io.BytesIO(data) if type == tarfile.REGTYPE else None)
    add("var/log/auth.log", syslog(4))
    add("var/log/shadow-link", type=tarfile.SYMTYPE, linkname="/etc/shadow")
    add("var/log/hard", type=tarfile.LNKTYPE, linkname="var/log/auth.log")
    add("dev/null-copy", type=tarfile.CHRTYPE)
    add("dev/sda-copy", type=tarfile.BLKTYPE)
    add("tmp/pipe", type=tarfile.FIFOTYPE)
    add("../escape.log", b"escaped\n")
    add("/abs-tar.log", b"escaped\n")
manifest["tar_hostile"] = tpath

# 4. decompression bombs: 40 MiB of zeros in a zip entry and in a gzip stream
zeros = b"\0" * (40 * 1024 * 1024)
manifest["zip_bomb"] = write_zip("bomb.zip", [("small.log", syslog(2)), ("zeros.log", zeros)])
gpath = os.path.join(out, "bomb.log.gz")
with open(gpath, "wb") as f:
    f.write(gzip.compress(syslog(5) + zeros, mtime=0))
manifest["gzip_bomb"] = gpath

# 5. nesting past the limit: level1.zip > level2.zip > level3.zip > level4.zip > deep.log
def zbytes(entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        for n, d in entries:
            z.writestr(zinfo(n), d)
    return b.getvalue()
l4 = zbytes([("deep.log", syslog(1))])
l3 = zbytes([("level3.log", syslog(2)), ("level4.zip", l4)])
l2 = zbytes([("level2.log", syslog(2)), ("level3.zip", l3)])
manifest["nested"] = write_zip("level1.zip", [("level1.log", syslog(2)), ("level2.zip", l2)])

# 6. truncated gzip of 1000 JSON lines, cut at 60 %
full = gzip.compress(jsonl(1000), mtime=0)
gp = os.path.join(out, "truncated.jsonl.gz")
open(gp, "wb").write(full[: int(len(full) * 0.6)])
manifest["truncated_gzip"] = gp
# the complete lines python can still read from the cut stream, for the test's expectation
d = zlib.decompressobj(16 + zlib.MAX_WBITS)
readable = d.decompress(full[: int(len(full) * 0.6)])
manifest["truncated_gzip_complete_lines"] = readable.count(b"\n")

# 7. truncated tar: three members, cut in the middle of the second one's data
tp = os.path.join(out, "truncated.tar")
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as t:
    for i, n in enumerate(["a.log", "b.log", "c.log"]):
        data = syslog(200, host=f"h{i}")
        ti = tarfile.TarInfo(n); ti.size = len(data); ti.mtime = 1705320000
        t.addfile(ti, io.BytesIO(data))
raw = b.getvalue()
a_len = len(syslog(200, host="h0"))
b_start = 512 + ((a_len + 511) // 512) * 512 + 512
cut = b_start + 5000
open(tp, "wb").write(raw[:cut])
manifest["truncated_tar"] = tp
manifest["truncated_tar_b_complete_lines"] = syslog(200, host="h1")[:5000].count(b"\n")

# 8. truncated zip: central directory cut off, third member cut
zp = os.path.join(out, "truncated.zip")
zb = zbytes([("one.log", syslog(50, host="z1")), ("two.log", syslog(50, host="z2")), ("three.log", syslog(3000, host="z3"))])
cd = zb.rfind(b"PK\x01\x02", 0, zb.find(b"PK\x05\x06"))
first_cd = zb.find(b"PK\x01\x02")
open(zp, "wb").write(zb[: first_cd - 2000])
manifest["truncated_zip"] = zp

# 9. macOS metadata
manifest["macosx"] = write_zip("macosx.zip", [("x.log", syslog(3)), ("__MACOSX/._x.log", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        "), ("._y.log", b"\x00\x05\x16\x07")])

# 10. UTF-16 with BOM (LE and BE), and UTF-32 (not read)
text = syslog(4).decode()
open(os.path.join(out, "utf16le.log"), "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
open(os.path.join(out, "utf16be.log"), "wb").write(b"\xfe\xff" + text.encode("utf-16-be"))
open(os.path.join(out, "utf32.log"), "wb").write(b"\xff\xfe\x00\x00" + text.encode("utf-32-le"))
manifest["utf16le"] = os.path.join(out, "utf16le.log")
manifest["utf16be"] = os.path.join(out, "utf16be.log")
manifest["utf32"] = os.path.join(out, "utf32.log")

# 11. malformed lines mixed with good ones (JSON Lines)
lines = [
    json.dumps({"time": "2024-01-15T10:00:00Z", "user": "alice", "action": "login"}).encode(),
    b'{"time": "2024-01-15T10:00:01Z", "user": "bob", "action": ',          # bad JSON
    json.dumps({"time": "2024-01-15T10:00:02Z", "user": "caf\u00e9", "action": "login"}).encode(),
    b'{"time": "2024-01-15T10:00:03Z", "user": "\xe9t\xe9"}',               # Latin-1 bytes: invalid UTF-8
    b'{"time": "2024-01-15T10:00:04Z", "user": "nul\x00"}',                  # NUL byte
    b'[1, 2, 3]',                                                          # not an object
    json.dumps({"time": "not a time", "user": "dave"}).encode(),           # unparseable time
    json.dumps({"user": "erin"}).encode(),                                 # no time
    b"",                                                                   # blank line: not a record
    json.dumps({"time": "2024-01-15T10:00:09Z", "user": "frank", "note": "x" * 3000}).encode(),  # over a 2 KiB record limit in the test
    json.dumps({"time": "2024-01-15T10:00:10+02:00", "user": "gina", "action": "logout"}).encode(),
]
mp = os.path.join(out, "mixed.jsonl")
open(mp, "wb").write(b"\r\n".join(lines) + b"\r\n")
manifest["mixed"] = mp

print(json.dumps(manifest))
