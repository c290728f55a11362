#!/usr/bin/env bash
# html-check.sh FILE — what a browser would load or run from the HTML file FILE, counted.
# Record text in a report is escaped, so every '<' of the file opens a tag of the report
# itself; URLs in text (escaped) are allowed, in tags and in the stylesheet they are not.
set -eu
f=$1
tags=$(grep -o '<[^>]*>' "$f")
count() {
    printf '%s\n' "$tags" | grep -ciE "$1" || true
}
echo "doctype: $(head -n 1 "$f")"
echo "tags: $(printf '%s\n' "$tags" | wc -l)"
echo "tags that load or run something: $(count '^<(script|link|img|image|iframe|frame|object|embed|audio|video|source|track|base|form|input|use|meta +http-equiv)[ >/]')"
echo "tags naming a URL: $(count '(https?:|//|src=|href=|srcset=|action=|url\()')"
echo "event handlers: $(count ' on[a-z]+=')"
echo "stylesheet lines that fetch: $(sed -n '/^<style>/,/^<\/style>/p' "$f" | grep -ciE 'url\(|@import|https?:' || true)"
echo "escaped script tags in the text: $(grep -o '&lt;script' "$f" | wc -l)"
