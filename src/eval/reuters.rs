//! Reuters-21578's topic categories as a news test collection: each topic
//! code that has a description becomes a topic whose text is that
//! description ("Money/Foreign Exchange", "Cocoa"), and the articles filed
//! under the code are its relevant articles.
//!
//! Category relevance is not a searcher's judgment (an article filed under
//! `grain` may never say "grain", and one that discusses grain may be filed
//! elsewhere), but it is news, judged by people, for every article: a check
//! beside Cranfield that a ranking change helps news and not only
//! aeronautics abstracts. The index is built from the SGML files themselves
//! (`newsdex index ../shared/corpora/reuters21578`), so ids agree.
//!
//! The descriptions come from `cat-descriptions_120396.txt` in the
//! collection's extras (lines such as `Money/Foreign Exchange (MONEY-FX)`,
//! and commodities by their code alone, `COCOA`, read as its words);
//! only codes listed in `all-topics-strings.lc.txt` are topics (the other
//! lists there are places, people, organisations and exchanges).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Converted, EvalError};
use crate::corpus::{self, Outcome};

/// The topic codes with a description, in the order the descriptions list
/// them: `(code, description)`, codes lowercased as the articles have them.
fn described_topics(extras: &Path) -> Result<Vec<(String, String)>, EvalError> {
    let codes_path = extras.join("all-topics-strings.lc.txt");
    let codes: BTreeSet<String> = super::read(&codes_path)?
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let path = extras.join("cat-descriptions_120396.txt");
    let mut topics = Vec::new();
    let mut seen = BTreeSet::new();
    for line in super::read(&path)?.lines() {
        let line = line.trim();
        // Commodities are listed by code alone ("COCOA", "IRON-STEEL"):
        // the code's words are the description.
        let bare = line.to_lowercase();
        if codes.contains(&bare) && seen.insert(bare.clone()) {
            let words = bare.replace('-', " ");
            topics.push((bare, words));
            continue;
        }
        let Some(open) = line.rfind(" (") else {
            continue;
        };
        let Some(code) = line[open + 2..].strip_suffix(')') else {
            continue;
        };
        let code = code.to_lowercase();
        let description = line[..open].trim();
        if codes.contains(&code) && !description.is_empty() && seen.insert(code.clone()) {
            topics.push((code, description.to_string()));
        }
    }
    if topics.is_empty() {
        return Err(super::format_error(
            &path,
            1,
            "no topic descriptions such as `Money/Foreign Exchange (MONEY-FX)`",
        ));
    }
    Ok(topics)
}

/// Writes `out/topics.tsv` and `out/qrels.txt` for the Reuters SGML files
/// in `dir`, with the descriptions in `extras`. Topics no article is filed
/// under are left out. `documents` counts the articles read.
pub fn convert(dir: &Path, extras: &Path, out: &Path) -> Result<Converted, EvalError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| EvalError::Io { path, cause }
    };
    let topics = described_topics(extras)?;
    let (files, problems) = corpus::walk(&[dir.to_path_buf()]);
    if let Some(p) = problems.first() {
        return Err(EvalError::Io {
            path: p.path.clone(),
            cause: std::io::Error::other(p.message.clone()),
        });
    }
    let mut filed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut documents = 0;
    let fields = Arc::default();
    for found in files.iter().filter(|f| is_sgml(&f.path)) {
        let mut outcome = Outcome::default();
        corpus::read_file(found, &fields, &mut outcome);
        for article in outcome.articles {
            documents += 1;
            for code in &article.tags {
                filed.entry(code.clone()).or_default().push(article.id.clone());
            }
        }
    }
    if documents == 0 {
        return Err(EvalError::Io {
            path: dir.to_path_buf(),
            cause: std::io::Error::other("no Reuters SGML articles (reut2-*.sgm) here"),
        });
    }

    std::fs::create_dir_all(out).map_err(io(out))?;
    let topics_path = out.join("topics.tsv");
    let qrels_path = out.join("qrels.txt");
    let mut t = std::io::BufWriter::new(std::fs::File::create(&topics_path).map_err(io(&topics_path))?);
    let mut q = std::io::BufWriter::new(std::fs::File::create(&qrels_path).map_err(io(&qrels_path))?);
    let (mut written, mut judgments) = (0, 0);
    for (code, description) in &topics {
        let Some(ids) = filed.get(code) else {
            continue;
        };
        writeln!(t, "{code}\t{description}").map_err(io(&topics_path))?;
        written += 1;
        for id in ids {
            writeln!(q, "{code} 0 {id} 1").map_err(io(&qrels_path))?;
            judgments += 1;
        }
    }
    t.flush().map_err(io(&topics_path))?;
    q.flush().map_err(io(&qrels_path))?;
    Ok(Converted {
        documents,
        topics: written,
        judgments,
    })
}

fn is_sgml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "sgm" || e == "sgml")
}

/// Where the extras are when not given: `reuters21578-extras` beside the
/// SGML folder, as in `../shared/corpora`.
pub fn default_extras(dir: &Path) -> PathBuf {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join("reuters21578-extras")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_come_from_described_topic_codes_only() {
        let dir = tempfile::tempdir().unwrap();
        let (extras, sgml, out) = (
            dir.path().join("extras"),
            dir.path().join("sgml"),
            dir.path().join("out"),
        );
        std::fs::create_dir_all(&extras).unwrap();
        std::fs::create_dir_all(&sgml).unwrap();
        std::fs::write(
            extras.join("all-topics-strings.lc.txt"),
            "cocoa\nmoney-fx\nship\niron-steel\n",
        )
        .unwrap();
        std::fs::write(
            extras.join("cat-descriptions_120396.txt"),
            "****Subject Codes (135)\n\nMoney/Foreign Exchange (MONEY-FX)\nShipping (SHIP)\n\
             IRON-STEEL\nCOCOA \nAfghanistan (AFGHANISTAN)\n",
        )
        .unwrap();
        std::fs::write(
            sgml.join("reut2-000.sgm"),
            "<REUTERS NEWID=\"1\"><TOPICS><D>cocoa</D></TOPICS><TEXT><TITLE>COCOA</TITLE>\
             <BODY>Cocoa rains.</BODY></TEXT></REUTERS>\n\
             <REUTERS NEWID=\"2\"><TOPICS><D>money-fx</D><D>cocoa</D></TOPICS><TEXT>\
             <TITLE>FX</TITLE><BODY>The dollar and cocoa.</BODY></TEXT></REUTERS>\n\
             <REUTERS NEWID=\"3\"><TOPICS></TOPICS><TEXT><TITLE>NONE</TITLE><BODY>x y</BODY></TEXT></REUTERS>\n",
        )
        .unwrap();
        let done = convert(&sgml, &extras, &out).unwrap();
        assert_eq!((done.documents, done.topics, done.judgments), (3, 2, 3));
        // In the descriptions' order; shipping has no article, Afghanistan is a place.
        assert_eq!(
            std::fs::read_to_string(out.join("topics.tsv")).unwrap(),
            "money-fx\tMoney/Foreign Exchange\ncocoa\tcocoa\n"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("qrels.txt")).unwrap(),
            "money-fx 0 reuters-2 1\ncocoa 0 reuters-1 1\ncocoa 0 reuters-2 1\n"
        );
        assert!(matches!(
            convert(&extras, &extras, &out),
            Err(EvalError::Io { .. })
        ));
    }

    #[test]
    fn extras_are_looked_for_beside_the_sgml_folder() {
        assert_eq!(
            default_extras(Path::new("../shared/corpora/reuters21578")),
            Path::new("../shared/corpora/reuters21578-extras")
        );
        assert_eq!(
            default_extras(Path::new("reuters")),
            Path::new("./reuters21578-extras")
        );
    }
}
