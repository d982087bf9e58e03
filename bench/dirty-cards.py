#!/usr/bin/env python3
"""Which old objects a G1 young collection will scan (issue 19, docs/benchmarks.md "Which old objects the young
collections scan"). Reads, taken while the JVM is stopped by one Serviceability Agent session:
  - its regions (clhsdb's g1regiondetails, saved as REGIONS),
  - a heap dump (clhsdb's dumpheap: HPROF, whose object ids are the objects' addresses),
  - the card table (1 byte per 512 heap bytes; its address from -Xlog:pagesize's "Card Table: base=...", read from
    /proc/PID/mem while the agent holds the process),
and prints (1) how many dirty cards of old regions hold objects of each class, and (2) which fields of old objects
point at young ones (Eden, Survivor) and in how many cards.

  dirty-cards.py HEAP.hprof REGIONS CARDS.bin HEAP_BASE
"""
import mmap, struct, sys, re, collections, bisect
hprof, regions_file = sys.argv[1], sys.argv[2]
regs = []
for line in open(regions_file):
    m = re.search(r'Region: 0x([0-9a-f]+),0x([0-9a-f]+),0x([0-9a-f]+):(\w+)', line)
    if m:
        regs.append((int(m.group(1), 16), int(m.group(3), 16), m.group(4)))
regs.sort()
young_kinds = {'Eden', 'Survivor'}
old_kinds = {'Old', 'StartsHumongous', 'ContinuesHumongous', 'Archive'}
REGION = regs[0][1] - regs[0][0]  # G1's region size
rstart = regs[0][0]
kinds_by_idx = {}
for s, e, k in regs:
    kinds_by_idx[(s - rstart) // REGION] = k
def k_of(a):
    return kinds_by_idx.get((a - rstart) // REGION)

f = open(hprof, 'rb'); mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
end = mm.find(b'\0')
idsz = struct.unpack_from('>I', mm, end + 1)[0]
pos = end + 1 + 4 + 8
assert idsz == 8, idsz
ID = '>Q'
strings = {}; class_names = {}; classes = {}
sizes = {2: idsz, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
instances = []  # (addr, class, data_off, data_len)
arrays = []     # (addr, arrclass, off, count)
prims = []
n = len(mm)
while pos < n:
    tag = mm[pos]; ln = struct.unpack_from('>I', mm, pos + 5)[0]; body = pos + 9; pos = body + ln
    if tag == 0x01:
        sid = struct.unpack_from(ID, mm, body)[0]
        strings[sid] = mm[body + 8: body + ln].decode('utf-8', 'replace')
    elif tag == 0x02:
        cid, nid = struct.unpack_from('>Q', mm, body + 4)[0], struct.unpack_from('>Q', mm, body + 16)[0]
        class_names[cid] = nid
    elif tag in (0x0C, 0x1C):
        p = body; e = body + ln
        while p < e:
            st = mm[p]; p += 1
            if st == 0xFF: p += 8
            elif st == 0x01: p += 16
            elif st in (0x02, 0x03): p += 16
            elif st == 0x04: p += 12
            elif st == 0x05: p += 8
            elif st == 0x06: p += 12
            elif st == 0x07: p += 8
            elif st == 0x08: p += 16
            elif st == 0x20:
                cid = struct.unpack_from(ID, mm, p)[0]; sup = struct.unpack_from(ID, mm, p + 12)[0]
                p += 8 + 4 + 8 * 6 + 4
                cp = struct.unpack_from('>H', mm, p)[0]; p += 2
                for _ in range(cp):
                    t = mm[p + 2]; p += 3 + sizes[t]
                ns = struct.unpack_from('>H', mm, p)[0]; p += 2
                for _ in range(ns):
                    t = mm[p + 8]; p += 9 + sizes[t]
                ni = struct.unpack_from('>H', mm, p)[0]; p += 2
                fields = []
                for _ in range(ni):
                    nm = struct.unpack_from(ID, mm, p)[0]; t = mm[p + 8]; p += 9
                    fields.append((nm, t))
                classes[cid] = (sup, fields)
            elif st == 0x21:
                oid = struct.unpack_from(ID, mm, p)[0]; cid = struct.unpack_from(ID, mm, p + 12)[0]
                nb = struct.unpack_from('>I', mm, p + 20)[0]
                instances.append((oid, cid, p + 24, nb)); p += 24 + nb
            elif st == 0x22:
                oid = struct.unpack_from(ID, mm, p)[0]; cnt = struct.unpack_from('>I', mm, p + 12)[0]
                acid = struct.unpack_from(ID, mm, p + 16)[0]
                arrays.append((oid, acid, p + 24, cnt)); p += 24 + 8 * cnt
            elif st == 0x23:
                oid = struct.unpack_from(ID, mm, p)[0]; cnt = struct.unpack_from('>I', mm, p + 12)[0]; t = mm[p + 16]
                prims.append((oid, t, cnt)); p += 17 + cnt * sizes[t]
            else:
                raise SystemExit('unknown subtag %x at %d' % (st, p))

def cname(cid):
    return strings.get(class_names.get(cid), hex(cid))
pnames = {4:'boolean[]',5:'char[]',6:'float[]',7:'double[]',8:'byte[]',9:'short[]',10:'int[]',11:'long[]'}
objs = []
for oid, cid, _, _ in instances:
    if k_of(oid) in old_kinds: objs.append((oid, cid, 'i'))
for oid, acid, _, _ in arrays:
    if k_of(oid) in old_kinds: objs.append((oid, acid, 'a'))
for oid, t, _ in prims:
    if k_of(oid) in old_kinds: objs.append((oid, t, 'p'))
objs.sort()
addrs = [o[0] for o in objs]
def label(o):
    if o[2] == 'p': return pnames[o[1]]
    n = cname(o[1])
    return n + ('[]' if o[2] == 'a' and not n.startswith('[') else '')
cards = open(sys.argv[3], 'rb').read()
heap_base = int(sys.argv[4], 16)
dirty = [i for i, v in enumerate(cards) if v == 0]
by_class = collections.Counter(); in_old = 0
for c in dirty:
    a = heap_base + (c << 9)
    if k_of(a) not in old_kinds: continue
    in_old += 1
    i = bisect.bisect_right(addrs, a) - 1
    seen = set()
    j = max(i, 0)
    while j < len(objs) and objs[j][0] < a + 512:
        seen.add(label(objs[j])); j += 1
    for s in seen: by_class[s] += 1
print('dirty cards in old regions', in_old)
for n, k in by_class.most_common(70):
    print('%6d  %s' % (k, n))

print()
print('fields of old objects pointing at young ones')
layout_cache = {}
def layout(cid):
    if cid in layout_cache: return layout_cache[cid]
    out = []; c = cid
    while c and c in classes:
        sup, fields = classes[c]
        for nm, t in fields:
            out.append((cname(c) + '.' + strings.get(nm, '?'), t))
        c = sup
    layout_cache[cid] = out
    return out
young_cards = collections.defaultdict(set)
for oid, cid, off, _ in instances:
    if k_of(oid) not in old_kinds: continue
    p = off
    for name, t in layout(cid):
        if t == 2:
            v = struct.unpack_from(ID, mm, p)[0]
            if v and k_of(v) in young_kinds:
                young_cards[name].add(oid >> 9)
        p += sizes[t]
for oid, acid, off, cnt in arrays:
    if k_of(oid) not in old_kinds: continue
    for i in range(cnt):
        v = struct.unpack_from(ID, mm, off + 8 * i)[0]
        if v and k_of(v) in young_kinds:
            young_cards[cname(acid)].add((oid + 16 + 4 * i) >> 9)
for name, cs in sorted(young_cards.items(), key=lambda kv: -len(kv[1]))[:30]:
    print('%6d  %s' % (len(cs), name))
