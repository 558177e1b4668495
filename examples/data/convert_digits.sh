#!/bin/sh
# Regenerates digits.txt from scikit-learn's digits.csv.gz (see README.md for where to get it).
# Each CSV row is 64 pixel counts in 0..16 followed by the label; each output line is the label,
# a space, and the 64 counts as one character each in base 17 ('0'-'9' = 0-9, 'a'-'g' = 10-16).
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 path/to/digits.csv.gz out.txt" >&2
  exit 2
fi
{
  echo "# UCI Optical Recognition of Handwritten Digits (test set, 1797 images of 8x8 pixels)."
  echo "# Source: digits.csv.gz of Debian's python3-sklearn; format and licence: README.md."
  echo "# label, space, 64 pixel counts 0..16 row by row in base 17 (0-9, a-g)."
  gzip -dc "$1" | awk -F, '
    NF != 65 { print "bad row " NR > "/dev/stderr"; exit 1 }
    {
      s = ""
      for (i = 1; i <= 64; i++) {
        v = $i + 0
        if (v < 0 || v > 16 || v != int(v)) { print "bad pixel at row " NR > "/dev/stderr"; exit 1 }
        s = s substr("0123456789abcdefg", v + 1, 1)
      }
      print ($65 + 0) " " s
    }'
} > "$2"
