//! Query syntax: from what a user types to an [`Expr`] tree.
//!
//! ```text
//! query   := or
//! or      := and ("OR" and)*
//! and     := unary ("AND"? unary)*          words are ANDed by default
//! unary   := ("-" | "NOT") unary | "+" unary | primary
//! primary := "(" or ")" | FIELD ":" "(" or ")" | FIELD ":" atom | atom
//! atom    := WORD | WORD "*" | "\"" words "\"" ("~" N)?
//! FIELD   := title | source | person | org | place | topic
//! ```
//!
//! The parser knows nothing of tantivy or of analysis: a word is kept as
//! typed, and the query module decides how it is tokenized. Every error names
//! the column (1-based, in characters) where it was found and what was
//! expected there; the parser never panics and its work is linear in the
//! length of the query.

use std::fmt;

/// The fields a query can scope a term to, as `field:term`.
pub const FIELDS: &[&str] = &["title", "source", "person", "org", "place", "topic"];

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 4096;

/// How deep parentheses and negations may nest.
pub const MAX_DEPTH: usize = 32;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A word, optionally scoped to a field.
    Term {
        /// The field, or `None` for the text and title.
        field: Option<String>,
        /// The word as typed.
        text: String,
    },
    /// A quoted phrase, with the slop of `"a b"~N`.
    Phrase {
        /// The field, or `None` for the text and title.
        field: Option<String>,
        /// The words between the quotes.
        text: String,
        /// How many positions the words may move (0: exact phrase).
        slop: u32,
    },
    /// `word*`: any word starting with the prefix.
    Prefix {
        /// The field, or `None` for the text and title.
        field: Option<String>,
        /// The prefix, without the star.
        text: String,
    },
    /// All must match.
    And(Vec<Expr>),
    /// At least one must match.
    Or(Vec<Expr>),
    /// Must not match.
    Not(Box<Expr>),
}

/// A query that does not parse: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SyntaxError {
    /// The query as typed.
    pub query: String,
    /// 1-based column, in characters, where the problem was found.
    pub column: usize,
    /// What is wrong, and what would be right.
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "query syntax error at column {}: {}",
            self.column, self.message
        )?;
        let shown: String = self
            .query
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        writeln!(f, "  {shown}")?;
        write!(f, "  {}^", " ".repeat(self.column.saturating_sub(1)))
    }
}

/// Parses a query. An empty (or all-blank) query gives `Ok(None)`.
pub fn parse(query: &str) -> Result<Option<Expr>, SyntaxError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(SyntaxError {
            query: query.chars().take(60).collect::<String>() + "…",
            column: 1,
            message: format!(
                "the query is {} characters long; the limit is {MAX_QUERY_CHARS}",
                query.chars().count()
            ),
        });
    }
    let tokens = lex(query)?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut p = Parser {
        query,
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = p.or()?;
    if let Some(t) = p.peek() {
        let msg = match t.kind {
            Tok::RParen => "unmatched ')': no '(' before it".to_string(),
            _ => format!("unexpected {}", t.kind.describe()),
        };
        return Err(p.error_at(t.column, msg));
    }
    Ok(Some(expr))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Phrase(String, u32),
    LParen,
    RParen,
    Minus,
    Plus,
    And,
    Or,
    Not,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("word {w:?}"),
            Tok::Phrase(..) => "phrase".into(),
            Tok::LParen => "'('".into(),
            Tok::RParen => "')'".into(),
            Tok::Minus => "'-'".into(),
            Tok::Plus => "'+'".into(),
            Tok::And => "AND".into(),
            Tok::Or => "OR".into(),
            Tok::Not => "NOT".into(),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: Tok,
    /// 1-based column of the token's first character.
    column: usize,
    /// Whether white space (or the start) comes before the token.
    spaced: bool,
}

fn lex(query: &str) -> Result<Vec<Token>, SyntaxError> {
    let chars: Vec<char> = query.chars().collect();
    let err = |column: usize, message: String| SyntaxError {
        query: query.to_string(),
        column,
        message,
    };
    let mut out = Vec::new();
    let mut i = 0;
    let mut spaced = true;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            spaced = true;
            i += 1;
            continue;
        }
        let kind = match c {
            '(' => {
                i += 1;
                Tok::LParen
            }
            ')' => {
                i += 1;
                Tok::RParen
            }
            '-' | '+' if spaced => {
                i += 1;
                if c == '-' { Tok::Minus } else { Tok::Plus }
            }
            '"' | '“' | '”' => {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && !matches!(chars[end], '"' | '“' | '”') {
                    end += 1;
                }
                if end >= chars.len() {
                    return Err(err(
                        column,
                        "unclosed quote: add a closing \" to end the phrase".into(),
                    ));
                }
                let text: String = chars[start..end].iter().collect();
                i = end + 1;
                let mut slop = 0;
                if i < chars.len() && chars[i] == '~' {
                    let digits_start = i + 1;
                    let mut j = digits_start;
                    while j < chars.len() && chars[j].is_ascii_digit() {
                        j += 1;
                    }
                    let digits: String = chars[digits_start..j].iter().collect();
                    slop = match digits.parse::<u32>() {
                        Ok(n) if n <= 100 => n,
                        Ok(_) => return Err(err(i + 1, "a phrase's slop (~N) must be at most 100".into())),
                        Err(_) => {
                            return Err(err(
                                i + 1,
                                "'~' after a phrase needs a number, as in \"drone strike\"~3".into(),
                            ));
                        }
                    };
                    i = j;
                }
                Tok::Phrase(text, slop)
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '(' | ')' | '"' | '“' | '”')
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match word.as_str() {
                    "AND" | "&&" => Tok::And,
                    "OR" | "||" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(word),
                }
            }
        };
        // After '(' a '-' still negates: "(-a b)".
        let opens = kind == Tok::LParen;
        out.push(Token { kind, column, spaced });
        spaced = opens;
    }
    Ok(out)
}

struct Parser<'a> {
    query: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn error_at(&self, column: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            query: self.query.to_string(),
            column,
            message: message.into(),
        }
    }

    /// The column just past the end of the query, for "expected ... at the end".
    fn end_column(&self) -> usize {
        self.query.chars().count() + 1
    }

    fn or(&mut self) -> Result<Expr, SyntaxError> {
        let mut parts = vec![self.and()?];
        while let Some(t) = self.peek() {
            if t.kind != Tok::Or {
                break;
            }
            let column = t.column;
            self.pos += 1;
            if self.starts_operand().is_none() {
                return Err(self.error_at(column, "OR needs a term on each side"));
            }
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, SyntaxError> {
        let mut parts = Vec::new();
        loop {
            match self.peek().map(|t| (t.kind.clone(), t.column)) {
                None | Some((Tok::Or | Tok::RParen, _)) => break,
                Some((Tok::And, column)) => {
                    if parts.is_empty() {
                        return Err(self.error_at(column, "AND needs a term on each side"));
                    }
                    self.pos += 1;
                    if self.starts_operand().is_none() {
                        return Err(self.error_at(column, "AND needs a term on each side"));
                    }
                }
                Some(_) => parts.push(self.unary()?),
            }
        }
        match parts.len() {
            0 => {
                let column = self.peek().map_or(self.end_column(), |t| t.column);
                let what = match self.peek().map(|t| &t.kind) {
                    Some(Tok::Or) => "OR needs a term on each side",
                    Some(Tok::RParen) if self.depth == 0 => "unmatched ')': no '(' before it",
                    Some(Tok::RParen) => "empty parentheses: put a term between ( and )",
                    _ => "expected a term",
                };
                Err(self.error_at(column, what))
            }
            1 => Ok(parts.remove(0)),
            _ => Ok(Expr::And(parts)),
        }
    }

    /// The next token, if it can start an operand.
    fn starts_operand(&self) -> Option<&Token> {
        self.peek()
            .filter(|t| !matches!(t.kind, Tok::Or | Tok::And | Tok::RParen))
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.error_at(self.end_column(), "expected a term"));
        };
        match t.kind {
            Tok::Minus | Tok::Not => {
                self.pos += 1;
                self.enter(t.column)?;
                if self.starts_operand().is_none() {
                    let op = if t.kind == Tok::Minus { "'-'" } else { "NOT" };
                    return Err(self.error_at(t.column, format!("{op} needs a term after it, as in -sports")));
                }
                let inner = self.unary()?;
                self.depth -= 1;
                Ok(Expr::Not(Box::new(inner)))
            }
            Tok::Plus => {
                self.pos += 1;
                if self.starts_operand().is_none() {
                    return Err(self.error_at(t.column, "'+' needs a term after it"));
                }
                self.unary()
            }
            _ => self.primary(),
        }
    }

    fn enter(&mut self, column: usize) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(column, format!("nested more than {MAX_DEPTH} levels deep")));
        }
        Ok(())
    }

    fn group(&mut self, open_column: usize) -> Result<Expr, SyntaxError> {
        self.enter(open_column)?;
        let inner = self.or()?;
        self.depth -= 1;
        match self.peek() {
            Some(t) if t.kind == Tok::RParen => {
                self.pos += 1;
                Ok(inner)
            }
            _ => Err(self.error_at(open_column, "unclosed '(': add a ')' to close it")),
        }
    }

    fn primary(&mut self) -> Result<Expr, SyntaxError> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.error_at(self.end_column(), "expected a term"));
        };
        self.pos += 1;
        match t.kind {
            Tok::LParen => self.group(t.column),
            Tok::Phrase(text, slop) => Ok(Expr::Phrase {
                field: None,
                text,
                slop,
            }),
            Tok::Word(word) => self.word(word, t.column),
            other => Err(self.error_at(t.column, format!("unexpected {}", other.describe()))),
        }
    }

    /// A word, which may be `field:`, `field:value` or `prefix*`.
    fn word(&mut self, word: String, column: usize) -> Result<Expr, SyntaxError> {
        if let Some((field, value)) = word.split_once(':') {
            let is_field_name = !field.is_empty() && field.chars().all(|c| c.is_ascii_alphabetic());
            if is_field_name && !value.starts_with("//") {
                let field_lc = field.to_ascii_lowercase();
                if !FIELDS.contains(&field_lc.as_str()) {
                    return Err(self.error_at(
                        column,
                        format!(
                            "unknown field '{field}': fields are {}; quote the text to search for it as words",
                            FIELDS.join(", ")
                        ),
                    ));
                }
                let value_column = column + field.chars().count() + 1;
                return if value.is_empty() {
                    self.scoped(field_lc, value_column)
                } else {
                    atom(Some(field_lc), value).map_err(|m| self.error_at(value_column, m))
                };
            }
        }
        atom(None, &word).map_err(|m| self.error_at(column, m))
    }

    /// What follows `field:` when the value is a separate token: a phrase or
    /// a parenthesised group.
    fn scoped(&mut self, field: String, column: usize) -> Result<Expr, SyntaxError> {
        let next = self.peek().filter(|t| !t.spaced).cloned();
        match next.map(|t| (t.kind, t.column)) {
            Some((Tok::Phrase(text, slop), _)) => {
                self.pos += 1;
                Ok(Expr::Phrase {
                    field: Some(field),
                    text,
                    slop,
                })
            }
            Some((Tok::LParen, open)) => {
                self.pos += 1;
                let inner = self.group(open)?;
                Ok(scope(inner, &field))
            }
            _ => Err(self.error_at(
                column,
                format!("'{field}:' needs a value, as in {field}:word or {field}:\"two words\""),
            )),
        }
    }
}

/// A bare word or prefix.
fn atom(field: Option<String>, word: &str) -> Result<Expr, String> {
    if let Some(stem) = word.strip_suffix('*') {
        if stem.contains('*') {
            return Err("'*' may only end a word, as in drone*".into());
        }
        if stem.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return Err(format!(
                "the prefix '{word}' is too short: give at least two letters before '*'"
            ));
        }
        return Ok(Expr::Prefix {
            field,
            text: stem.to_string(),
        });
    }
    if word.contains('*') {
        return Err("'*' may only end a word, as in drone*".into());
    }
    // Lucene's fuzzy (word~2) and boost (word^2) syntax: say so, rather
    // than search for "word 2".
    let suffix = |mark: char| {
        word.rsplit_once(mark)
            .is_some_and(|(w, n)| !w.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    if suffix('~') {
        return Err(format!(
            "fuzzy matching ('{word}') is not supported: ~N sets a phrase's slop, as in \"drone strike\"~3; \
             a prefix (drone*) matches word endings"
        ));
    }
    if suffix('^') {
        return Err(format!("boosts ('{word}') are not supported"));
    }
    Ok(Expr::Term {
        field,
        text: word.to_string(),
    })
}

/// Applies `field:` to every term of a group that has no field of its own.
fn scope(expr: Expr, field: &str) -> Expr {
    let set = |f: Option<String>| f.or_else(|| Some(field.to_string()));
    match expr {
        Expr::Term { field: f, text } => Expr::Term { field: set(f), text },
        Expr::Phrase { field: f, text, slop } => Expr::Phrase {
            field: set(f),
            text,
            slop,
        },
        Expr::Prefix { field: f, text } => Expr::Prefix { field: set(f), text },
        Expr::And(v) => Expr::And(v.into_iter().map(|e| scope(e, field)).collect()),
        Expr::Or(v) => Expr::Or(v.into_iter().map(|e| scope(e, field)).collect()),
        Expr::Not(e) => Expr::Not(Box::new(scope(*e, field))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(t: &str) -> Expr {
        Expr::Term {
            field: None,
            text: t.into(),
        }
    }

    fn ok(q: &str) -> Expr {
        parse(q).unwrap_or_else(|e| panic!("{q:?}: {e}")).unwrap()
    }

    fn err(q: &str) -> (usize, String) {
        let e = parse(q).expect_err(q);
        (e.column, e.message)
    }

    #[test]
    fn words_are_anded_and_or_binds_looser() {
        assert_eq!(
            ok("drone kremlin"),
            Expr::And(vec![term("drone"), term("kremlin")])
        );
        assert_eq!(ok("a AND b"), Expr::And(vec![term("a"), term("b")]));
        assert_eq!(
            ok("a b OR c"),
            Expr::Or(vec![Expr::And(vec![term("a"), term("b")]), term("c")])
        );
        assert_eq!(
            ok("(a OR b) c"),
            Expr::And(vec![Expr::Or(vec![term("a"), term("b")]), term("c")])
        );
    }

    #[test]
    fn phrases_slop_prefix_and_exclusion() {
        assert_eq!(
            ok("\"drone strike\"~3 -sports kreml*"),
            Expr::And(vec![
                Expr::Phrase {
                    field: None,
                    text: "drone strike".into(),
                    slop: 3
                },
                Expr::Not(Box::new(term("sports"))),
                Expr::Prefix {
                    field: None,
                    text: "kreml".into()
                },
            ])
        );
        assert_eq!(ok("NOT a"), Expr::Not(Box::new(term("a"))));
        assert_eq!(ok("+a"), term("a"));
        // A hyphen inside a word is part of the word.
        assert_eq!(ok("e-mail"), term("e-mail"));
    }

    #[test]
    fn field_scoping() {
        assert_eq!(
            ok("person:zelenskyy"),
            Expr::Term {
                field: Some("person".into()),
                text: "zelenskyy".into()
            }
        );
        assert_eq!(
            ok("Title:\"drone strike\""),
            Expr::Phrase {
                field: Some("title".into()),
                text: "drone strike".into(),
                slop: 0
            }
        );
        assert_eq!(
            ok("source:(cnn OR bbc)"),
            Expr::Or(vec![
                Expr::Term {
                    field: Some("source".into()),
                    text: "cnn".into()
                },
                Expr::Term {
                    field: Some("source".into()),
                    text: "bbc".into()
                },
            ])
        );
        // URLs and times are words, not fields.
        assert_eq!(ok("http://x.org"), term("http://x.org"));
        assert_eq!(ok("10:30"), term("10:30"));
    }

    #[test]
    fn errors_say_where_and_why() {
        assert_eq!(err("\"drone strike").0, 1);
        assert!(err("\"drone strike").1.starts_with("unclosed quote"));
        assert_eq!(err("(a OR b"), (1, "unclosed '(': add a ')' to close it".into()));
        assert_eq!(err("a b)"), (4, "unmatched ')': no '(' before it".into()));
        assert_eq!(err("a OR"), (3, "OR needs a term on each side".into()));
        assert_eq!(err("OR a").1, "OR needs a term on each side");
        assert_eq!(err("a AND").1, "AND needs a term on each side");
        assert_eq!(err("()").1, "empty parentheses: put a term between ( and )");
        assert_eq!(err(")"), (1, "unmatched ')': no '(' before it".into()));
        assert_eq!(err("a -").0, 3);
        assert!(err("titel:drone").1.starts_with("unknown field 'titel'"));
        assert_eq!(err("person: x").0, 8);
        assert!(err("*").1.contains("too short"));
        assert!(err("dr*ne").1.contains("may only end"));
        assert!(err("\"a b\"~x").1.contains("needs a number"));
        assert!(
            err("drone~2")
                .1
                .starts_with("fuzzy matching ('drone~2') is not supported")
        );
        assert!(err("drone~").1.starts_with("fuzzy matching"));
        assert_eq!(err("title:drone^2").1, "boosts ('drone^2') are not supported");
        // Not Lucene syntax: words with ~ or ^ inside them stay words.
        assert_eq!(ok("a~b"), term("a~b"));
    }

    #[test]
    fn limits_hold() {
        let long = parse(&"a ".repeat(3000)).unwrap_err();
        assert_eq!(long.column, 1);
        assert!(long.message.contains("6000 characters long"), "{}", long.message);
        let deep = format!("{}a{}", "(".repeat(40), ")".repeat(40));
        assert!(err(&deep).1.contains("nested"));
        assert_eq!(parse("   ").unwrap(), None);
    }

    #[test]
    fn the_error_message_points_at_the_column() {
        let e = parse("drone (kremlin").unwrap_err();
        assert_eq!(
            e.to_string(),
            "query syntax error at column 7: unclosed '(': add a ')' to close it\n  drone (kremlin\n        ^"
        );
    }
}
