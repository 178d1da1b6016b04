//! Choosing how a block is turned into bytes.

use std::fmt;
use std::str::FromStr;

use super::{Block, Header, NonceFormat, Template};
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::HashAlgorithm;

/// How a [`Block`] is encoded before it is hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// The blog's compact JSON; the proof is decimal text inside it.
    Json,
    /// parmine's 116-byte binary [`Header`], nonce last.
    Header,
}

impl Encoding {
    /// Both encodings, in display order.
    pub const ALL: [Encoding; 2] = [Encoding::Json, Encoding::Header];

    /// The name used on the command line and in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::Json => "json",
            Encoding::Header => "header",
        }
    }

    /// The name a person reads.
    pub const fn label(self) -> &'static str {
        match self {
            Encoding::Json => "blog JSON",
            Encoding::Header => "binary header",
        }
    }

    /// Encode `block` once into a mining template. `algorithm` and
    /// `difficulty` are the hash and target it will be mined with; the header
    /// commits both (the Merkle root's hash, the claimed difficulty), the
    /// blog's JSON neither.
    pub fn template(
        self,
        block: &Block,
        algorithm: HashAlgorithm,
        difficulty: Difficulty,
    ) -> Result<Template> {
        match self {
            Encoding::Json => Ok(json_template(block)),
            Encoding::Header => Ok(Header::from_block(block, algorithm, difficulty)?.template()),
        }
    }

    /// The bytes of `block` with `proof`, encoded independently of any template
    /// (the reference the templates are checked against).
    pub fn encode(
        self,
        block: &Block,
        algorithm: HashAlgorithm,
        difficulty: Difficulty,
        proof: u64,
    ) -> Result<Vec<u8>> {
        match self {
            Encoding::Json => Ok(block.with_proof(proof).to_json().into_bytes()),
            Encoding::Header => {
                Ok(Header::from_block(block, algorithm, difficulty)?.to_bytes(proof).to_vec())
            }
        }
    }
}

/// The blog's JSON split around the proof. serde_json writes the fields in
/// declaration order, so everything before `"proof":` is the index and the
/// timestamp, and everything after it is the transactions and the previous
/// hash, serialized exactly as `Block::to_json` would.
fn json_template(block: &Block) -> Template {
    let prefix = format!(r#"{{"index":{},"timestamp":{},"proof":"#, block.index, block.timestamp);
    let transactions = serde_json::to_string(&block.transactions).expect("transactions serialize");
    let previous = serde_json::to_string(&block.previous_block_hash).expect("a string serializes");
    let suffix = format!(r#","transactions":{transactions},"previous_block_hash":{previous}}}"#);
    Template::new(prefix.into_bytes(), NonceFormat::Decimal, suffix.into_bytes())
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(Encoding::Json),
            "header" => Ok(Encoding::Header),
            _ => Err(Error::UnknownName { kind: "encoding", given: s.to_string(), expected: "json, header" }),
        }
    }
}

/// Read by name, with the same message as the command line's
/// (`unknown encoding 'xml': expected one of json, header`).
impl<'de> serde::Deserialize<'de> for Encoding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}
