//! The round trip of an import: the original page against the page rendered from the files
//! written, line by line after normalizing (trailing space, blank lines, underline length).

/// How close the rendered page is to the original.
pub struct Comparison {
    pub equal: usize,
    pub total: usize,
    /// Each line that differs, with where it was and why.
    pub lines: Vec<String>,
}

impl Comparison {
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.equal as f64 * 100.0 / self.total as f64
        }
    }
}

/// Lines without trailing space; blank lines dropped; an adornment line as one character.
pub fn normalized(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| {
            let first = l.chars().next().expect("not empty");
            let rule =
                first.is_ascii_punctuation() && l.chars().count() >= 2 && l.chars().all(|c| c == first);
            (i, if rule { first.to_string() } else { l.to_string() })
        })
        .collect()
}

pub fn compare(original: &str, rendered: &str) -> Comparison {
    let a = normalized(original);
    let b = normalized(rendered);
    let (n, m) = (a.len(), b.len());
    // Longest common subsequence, from the end.
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if a[i].1 == b[j].1 {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let mut lines = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i].1 == b[j].1 {
            i += 1;
            j += 1;
        } else if j < m && (i == n || table[at(i, j + 1)] >= table[at(i + 1, j)]) {
            lines.push(format!(
                "+ output line {}: {} — {}",
                b[j].0,
                b[j].1,
                reason(&b[j].1)
            ));
            j += 1;
        } else {
            lines.push(format!(
                "- page line {}: {} — {}",
                a[i].0,
                a[i].1,
                reason(&a[i].1)
            ));
            i += 1;
        }
    }
    Comparison {
        equal: table[at(0, 0)] as usize,
        total: n.max(m),
        lines,
    }
}

fn reason(line: &str) -> &'static str {
    if line.contains('`') && line.contains("__") {
        "a link title used twice with another URL becomes anonymous (`__`), as docutils requires"
    } else if line.contains(" 分") {
        "a rule number recomputed from the policy"
    } else if line.contains("\\ ") || line.contains('\\') {
        "inline markup separated or escaped so reStructuredText reads it as written"
    } else {
        "a construct the import could not map"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underline_length_and_blank_lines_do_not_count() {
        let c = compare("T\n=====\n\n\na  \nb\n", "T\n==\na\nc\n");
        assert_eq!((c.equal, c.total), (3, 4));
        assert_eq!(c.lines.len(), 2);
    }
}
