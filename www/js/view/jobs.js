// Job numbers in few characters: [1, 2, 3, 5, 7, 8] → "1–3, 5, 7–8".

/** Compacts a list of job numbers into ranges. */
export function jobRanges(jobs) {
  const sorted = [...jobs].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j;
  }
  return parts.join(', ');
}
