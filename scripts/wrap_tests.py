# Wraps each tests/unit/*_test.cc in a namespace named after the file, so a
# unity build can put several test files in one translation unit.
import re, sys, pathlib
for p in sys.argv[1:]:
    path = pathlib.Path(p)
    src = path.read_text()
    stem = re.sub(r'\W', '_', path.stem)
    if f'namespace {stem} {{' in src:
        continue
    lines = src.split('\n')
    i = 0
    header = re.compile(r'^\s*$|^//|^#|^using [^()]*;$|^namespace \w+ = [\w:]+;$')
    last = 0
    for j, l in enumerate(lines):
        if header.match(l):
            if l.strip():
                last = j
            continue
        break
    ins = last + 1
    lines[ins:ins] = ['', f'namespace {stem} {{']
    while lines and lines[-1] == '':
        lines.pop()
    lines += ['', f'}}  // namespace {stem}', '']
    path.write_text('\n'.join(lines))
