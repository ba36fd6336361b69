"""Makes the corpus of broken and hostile inputs beside this script (stdlib only; run with any python3).

Every file here must make lenet exit with status 1 and one line naming the file, quickly and in
bounded memory (BadInputCorpusTest). Kinds: idx/ (for eval --images/--labels), model/ (for
--model), image/ (for predict). Files stay small: huge sizes are only claimed by headers.
"""
import hashlib
import io
import json
import os
import random
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
random.seed(7)


def put(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def idx_images(count, rows=28, cols=28, magic=0x803, body=None):
    head = struct.pack(">IIII", magic, count, rows, cols)
    return head + (body if body is not None else bytes(count * rows * cols))


def idx_labels(count, magic=0x801, body=None):
    return struct.pack(">II", magic, count) + (body if body is not None else bytes(count))


good_labels = idx_labels(3, body=bytes([1, 2, 3]))
# idx/<case>-images with idx/<case>-labels (a good labels file unless the case is about labels)
cases = {
    "wrong-magic": idx_images(3, magic=0x801),
    "wrong-type": idx_images(3, magic=0x0D03),          # type byte 0x0D (float) instead of 0x08
    "wrong-rank": idx_images(3, magic=0x802),
    "truncated": idx_images(3)[:-100],
    "count-zero": idx_images(0),
    "count-4294967295": idx_images(0xFFFFFFFF, body=b""),
    "dimensions-in-the-billions": struct.pack(">IIII", 0x803, 3, 2_000_000_000, 2_000_000_000),
    "rows-zero": idx_images(3, rows=0, body=b""),
    "trailing-garbage": idx_images(3) + b"garbage",
    "corrupt-gzip": zlib.compress(idx_images(3))[:5] + b"\x1f\x8b" + bytes(40),
    "text": b"these are not the images you are looking for\n",
    "empty": b"",
}
for name, data in cases.items():
    put(f"idx/{name}-images", data)
    put(f"idx/{name}-labels", good_labels)
put("idx/corrupt-gzip-images", b"\x1f\x8b\x08\x00" + bytes(6) + random.randbytes(200))
put("idx/label-above-9-images", idx_images(3))
put("idx/label-above-9-labels", idx_labels(3, body=bytes([1, 12, 3])))
put("idx/count-mismatch-images", idx_images(3))
put("idx/count-mismatch-labels", idx_labels(4, body=bytes([1, 2, 3, 4])))
put("idx/images-and-labels-swapped-images", good_labels)
put("idx/images-and-labels-swapped-labels", idx_images(3))


def npy(shape, data=None, descr="<f4"):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, "".join(f"{d}, " for d in shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    body = data if data is not None else bytes(4 * eval("*".join(map(str, shape)) or "1"))
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + body


def npz(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


shapes = {"conv1.weight": (6, 1, 5, 5), "conv1.bias": (6,), "conv2.weight": (16, 6, 5, 5), "conv2.bias": (16,),
          "fc1.weight": (120, 400), "fc1.bias": (120,), "fc2.weight": (84, 120), "fc2.bias": (84,),
          "fc3.weight": (10, 84), "fc3.bias": (10,)}
good = {f"{k}.npy": npy(v) for k, v in shapes.items()}
put("model/empty.npz", b"")
put("model/random-bytes.npz", random.randbytes(4096))
put("model/text.npz", b"conv1.weight = [[1, 2], [3, 4]]\n")
put("model/zip-of-something-else.npz", npz({"README.txt": b"hello"}))
put("model/wrong-shape.npz", npz({**good, "fc1.weight.npy": npy((400, 120))}))
put("model/missing-array.npz", npz({k: v for k, v in good.items() if k != "conv2.bias.npy"}))
put("model/future-version.npz", npz({**good, "meta.json": b'{"format": "lenet-checkpoint", "format_version": 99}'}))
put("model/huge-claimed-shape.npz", npz({**good, "fc1.weight.npy": npy((120000, 400000), data=b"")}))
whole = npz(good)
put("model/truncated.npz", whole[:len(whole) // 2])
# A Java-serialized object (java.lang.Integer 7), renamed .npz: must be refused, never deserialized.
put("model/java-serialized.npz", bytes.fromhex(
    "aced0005737200116a6176612e6c616e672e496e746567657212e2a0a4f781873802000149000576616c7565"
    "787200106a6176612e6c616e672e4e756d62657286ac951d0b94e08b0200007870") + struct.pack(">I", 7))


# Checkpoints that lenet wrote and someone changed (issue 15): each must be refused in one line.
def npy_as_lenet(shape, values):
    """numpy.save's bytes for float32, as lenet's Npy.write makes them (room for the first axis to grow)."""
    dims = "(%s,)" % shape[0] if len(shape) == 1 else "(%s)" % ", ".join(map(str, shape))
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % dims + " " * (21 - len(str(shape[0])))
    header += " " * (64 - (10 + len(header) + 1) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + struct.pack("<%df" % len(values), *values)


def stored_npz(members):
    """numpy.savez_compressed-style (deflated), so these fixtures of mostly zero weights stay small."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


rng15 = random.Random(15)  # its own stream: the files above and below stay as they were
weights = {k: [rng15.uniform(-0.1, 0.1) if i < 4 else 0.0 for i in range(eval("*".join(map(str, v))))] for k, v in shapes.items()}
arrays = {f"{k}.npy": npy_as_lenet(shapes[k], w) for k, w in weights.items()}
sha = hashlib.sha256()
for k in shapes:
    sha.update(k.encode() + arrays[f"{k}.npy"])
meta1 = {"format": "lenet-checkpoint", "format_version": 1, "architecture": {"activation": "sigmoid", "pooling": "avg"},
         "arrays_sha256": sha.hexdigest()}
# Format 1 (arrays checked, meta.json not covered) naming an activation this lenet does not know.
put("model/unknown-activation.npz", stored_npz({**arrays, "meta.json": json.dumps({**meta1, "architecture": {"activation": "tanh", "pooling": "avg"}}).encode()}))
put("model/format-1-without-checksum.npz", stored_npz({**arrays, "meta.json": json.dumps({k: v for k, v in meta1.items() if k != "arrays_sha256"}).encode()}))
# Format 2 covers meta.json: sigmoid edited to relu under the old checksum, and the checksum deleted.
meta2 = {"format": "lenet-checkpoint", "format_version": 2, "architecture": {"activation": "relu", "pooling": "avg"},
         "checksum_sha256": "0" * 64}
put("model/activation-edited.npz", stored_npz({**arrays, "meta.json": json.dumps(meta2).encode()}))
put("model/checksum-deleted.npz", stored_npz({**arrays, "meta.json": json.dumps({k: v for k, v in meta2.items() if k != "checksum_sha256"}).encode()}))
nan = dict(weights, **{"fc2.bias": [float("nan")] + weights["fc2.bias"][1:]})
put("model/nan-weight.npz", stored_npz({f"{k}.npy": npy_as_lenet(shapes[k], w) for k, w in nan.items()}))
inf = dict(weights, **{"conv1.weight": weights["conv1.weight"][:-1] + [float("inf")]})
put("model/infinite-weight.npz", stored_npz({f"{k}.npy": npy_as_lenet(shapes[k], w) for k, w in inf.items()}))
put("model/momentum-without-meta.npz", stored_npz({**arrays, "momentum.fc3.bias.npy": npy_as_lenet((10,), [0.0] * 10)}))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, idat):
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))


small = png(28, 28, zlib.compress(b"".join(b"\x00" + bytes(28) for _ in range(28))))
put("image/empty.png", b"")
put("image/text-named.png", b"not a picture at all\n")
noisy = png(28, 28, zlib.compress(b"".join(b"\x00" + random.randbytes(28) for _ in range(28))))
put("image/truncated.png", noisy[:len(noisy) // 2])
put("image/claims-100000x100000.png", png(100000, 100000, zlib.compress(bytes(1000))))
put("image/claims-2147483647x1.png", png(2147483647, 1, zlib.compress(bytes(1000))))
put("image/bad-crc.png", small[:40] + bytes([small[40] ^ 0xFF]) + small[41:])
put("image/jpeg-header-only.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
put("image/gif-header-only.gif", b"GIF89a\x10\x00\x10\x00\x00\x00\x00")
put("image/bmp-lying-header.bmp", b"BM" + struct.pack("<IHHI", 54, 0, 0, 54) + struct.pack("<IiiHHIIiiII", 40, 1000000, 1000000, 1, 24, 0, 0, 0, 0, 0, 0))
put("image/zip-named.png", npz({"a.txt": b"x"}))
put("image/name with spaces and ünïcödé.png", b"still not an image")
