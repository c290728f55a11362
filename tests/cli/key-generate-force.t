# with --force, generate replaces the file (and leaves nothing else behind)
setup: $TR key import --multibase z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq --out k.pem >/dev/null
run: $TR key generate --force --out k.pem > gen && $TR key show k.pem | cmp - gen && grep -c z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2 gen; stat -c %a k.pem; ls
--- stdout
0
600
gen
k.pem
--- stderr
