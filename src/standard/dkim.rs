//! The DKIM key of `[email.dkim]`: read and checked once at load (a PEM file or an environment
//! variable), and the one private-key operation, through ring (constant-time RSA, Ed25519).

use std::path::Path;

use base64::Engine as _;
use ring::signature::{Ed25519KeyPair, RSA_PKCS1_SHA256, RsaKeyPair};

use super::config::DkimConfig;
use crate::error::{Error, ErrorKind, Result};

/// A loaded DKIM key with the domain and selector it signs for.
pub struct DkimKey {
    domain: String,
    selector: String,
    key: Key,
}

enum Key {
    Rsa(RsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

impl std::fmt::Debug for DkimKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DkimKey({} {}._domainkey.{})", self.algorithm(), self.selector, self.domain)
    }
}

const GENERATE: &str = "make one with `openssl genpkey -algorithm ed25519 -out keys/dkim.pem` (or `-algorithm RSA -pkeyopt rsa_keygen_bits:2048`)";

impl DkimKey {
    /// The key `config` names, relative to the standard in `root`: every way it can fail is a
    /// load error naming the setting and the file (or variable).
    pub(crate) fn load(root: &Path, config: &DkimConfig) -> Result<DkimKey> {
        for (setting, value) in [("domain", &config.domain), ("selector", &config.selector)] {
            let fits = !value.is_empty()
                && !value.starts_with(['.', '-'])
                && !value.ends_with(['.', '-'])
                && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
            if !fits {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("missive.toml: `[email.dkim] {setting}` is {value:?}, which is not a DNS name"),
                )
                .with_help(format!(
                    "write the {setting} in ASCII letters, digits, `-` and `.` (an internationalised domain in its xn-- form), e.g. {}",
                    if setting == "domain" { "\"example.pl\"" } else { "\"missive2026\"" }
                )));
            }
        }
        let (pem, source) = match (&config.private_key, &config.private_key_env) {
            (Some(path), None) => {
                let file = root.join(path);
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    Error::new(
                        ErrorKind::Config,
                        format!("missive.toml: `[email.dkim] private_key`: cannot read {}: {e}", file.display()),
                    )
                    .with_help(format!(
                        "the path is relative to the standard's folder; {GENERATE}, or name an environment variable holding the key with `private_key_env`"
                    ))
                })?;
                (text, format!("`[email.dkim] private_key` ({})", file.display()))
            }
            (None, Some(var)) => {
                let text = std::env::var(var).map_err(|e| {
                    Error::new(
                        ErrorKind::Config,
                        format!(
                            "missive.toml: `[email.dkim] private_key_env`: the environment variable {var} {}",
                            match e {
                                std::env::VarError::NotPresent => "is not set",
                                std::env::VarError::NotUnicode(_) => "is not text",
                            }
                        ),
                    )
                    .with_help(format!("set {var} to the key's PEM text (`export {var}=\"$(cat dkim.pem)\"`)"))
                })?;
                (text, format!("`[email.dkim] private_key_env` ({var})"))
            }
            (Some(_), Some(_)) => {
                return Err(Error::new(
                    ErrorKind::Config,
                    "missive.toml: `[email.dkim]` names both `private_key` and `private_key_env`",
                )
                .with_help("keep one: the file's path, or the environment variable holding the key"));
            }
            (None, None) => {
                return Err(Error::new(ErrorKind::Config, "missive.toml: `[email.dkim]` names no key")
                    .with_help(format!(
                        "add `private_key = \"keys/dkim.pem\"` (a PEM file) or `private_key_env = \"MISSIVE_DKIM_KEY\"`; {GENERATE}"
                    )));
            }
        };
        let key = parse_pem(&pem).map_err(|why| {
            Error::new(ErrorKind::Config, format!("missive.toml: {source}: {why}")).with_help(format!(
                "give an unencrypted RSA (2048 bits or more) or Ed25519 private key in PEM; {GENERATE}"
            ))
        })?;
        Ok(DkimKey { domain: config.domain.clone(), selector: config.selector.clone(), key })
    }

    /// The signing domain (`d=`).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The selector (`s=`).
    pub fn selector(&self) -> &str {
        &self.selector
    }

    /// The `a=` tag: `rsa-sha256` or `ed25519-sha256`.
    pub fn algorithm(&self) -> &'static str {
        match self.key {
            Key::Rsa(_) => "rsa-sha256",
            Key::Ed25519(_) => "ed25519-sha256",
        }
    }

    /// The signature of the canonical header data: RSASSA-PKCS1-v1_5 with SHA-256 over it, or
    /// (RFC 8463) PureEd25519 over its SHA-256. Both are deterministic: the same data, the same
    /// bytes.
    pub fn sign(&self, data: &[u8]) -> Result<Vec<u8>> {
        match &self.key {
            Key::Rsa(pair) => {
                let mut signature = vec![0; pair.public().modulus_len()];
                // The random source blinds the private-key operation; the signature does not
                // depend on it.
                pair.sign(&RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), data, &mut signature)
                    .map_err(|_| Error::new(ErrorKind::Render, "the DKIM key could not sign the message"))?;
                Ok(signature)
            }
            Key::Ed25519(pair) => {
                let digest = ring::digest::digest(&ring::digest::SHA256, data);
                Ok(pair.sign(digest.as_ref()).as_ref().to_vec())
            }
        }
    }
}

/// A private key from PEM text: PKCS#8 (`PRIVATE KEY`, RSA or Ed25519) or PKCS#1
/// (`RSA PRIVATE KEY`). The reason it is refused otherwise.
fn parse_pem(pem: &str) -> std::result::Result<Key, String> {
    let begin = pem.find("-----BEGIN ").ok_or("it holds no PEM block (no `-----BEGIN` line)")?;
    let rest = &pem[begin + "-----BEGIN ".len()..];
    let label_end = rest.find("-----").ok_or("its `-----BEGIN` line is not closed")?;
    let label = &rest[..label_end];
    let body = &rest[label_end + 5..];
    let end = body.find("-----END ").ok_or_else(|| format!("its `{label}` block has no `-----END` line"))?;
    let text: String = body[..end].chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(text.as_bytes())
        .map_err(|e| format!("its `{label}` block is not base64: {e}"))?;
    let rsa_refused = |e: ring::error::KeyRejected| match e.to_string().as_str() {
        "TooSmall" => "the RSA key is shorter than 2048 bits, which is refused (RFC 8301 asks for 2048)".to_string(),
        "TooLarge" => "the RSA key is longer than 8192 bits".to_string(),
        other => format!("not a usable RSA key ({other})"),
    };
    match label {
        "PRIVATE KEY" => match RsaKeyPair::from_pkcs8(&der) {
            Ok(pair) => Ok(Key::Rsa(pair)),
            Err(e) if matches!(e.to_string().as_str(), "TooSmall" | "TooLarge") => Err(rsa_refused(e)),
            Err(rsa) => Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der)
                .map(Key::Ed25519)
                .map_err(|ed| format!("neither an RSA nor an Ed25519 key (as RSA: {rsa}; as Ed25519: {ed})")),
        },
        "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der).map(Key::Rsa).map_err(rsa_refused),
        "ENCRYPTED PRIVATE KEY" => Err("the key is encrypted with a passphrase, which missive cannot ask for (decrypt it: `openssl pkey -in key.pem -out plain.pem`, and keep that file private)".into()),
        "PUBLIC KEY" => Err("it is a public key; DKIM signs with the private one".into()),
        other => Err(format!("a `{other}` block is not an RSA or Ed25519 private key")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openssl(args: &[&str]) -> Option<String> {
        let out = std::process::Command::new("openssl").args(args).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn config(key: &str) -> DkimConfig {
        DkimConfig {
            domain: "example.pl".into(),
            selector: "s1".into(),
            private_key: Some(key.into()),
            private_key_env: None,
        }
    }

    #[test]
    fn keys_of_each_kind_load_and_bad_ones_are_refused_naming_the_setting() {
        let dir = tempfile::tempdir().unwrap();
        let Some(ed) = openssl(&["genpkey", "-algorithm", "ed25519"]) else { return };
        std::fs::write(dir.path().join("ed.pem"), &ed).unwrap();
        let key = DkimKey::load(dir.path(), &config("ed.pem")).unwrap();
        assert_eq!(key.algorithm(), "ed25519-sha256");
        assert_eq!(key.sign(b"x").unwrap(), key.sign(b"x").unwrap(), "deterministic");
        assert_eq!(key.sign(b"x").unwrap().len(), 64);
        let small = openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]).unwrap();
        std::fs::write(dir.path().join("small.pem"), &small).unwrap();
        let err = DkimKey::load(dir.path(), &config("small.pem")).unwrap_err().to_string();
        assert!(
            err.contains("`[email.dkim] private_key`") && err.contains("small.pem") && err.contains("2048"),
            "{err}"
        );
        let ec = openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]).unwrap();
        std::fs::write(dir.path().join("ec.pem"), &ec).unwrap();
        let err = DkimKey::load(dir.path(), &config("ec.pem")).unwrap_err().to_string();
        assert!(err.contains("neither an RSA nor an Ed25519 key"), "{err}");
        std::fs::write(dir.path().join("junk.pem"), "hello").unwrap();
        let err = DkimKey::load(dir.path(), &config("junk.pem")).unwrap_err().to_string();
        assert!(err.contains("no PEM block") && err.contains("junk.pem"), "{err}");
        let err = DkimKey::load(dir.path(), &config("missing.pem")).unwrap_err().to_string();
        assert!(err.contains("`[email.dkim] private_key`: cannot read") && err.contains("missing.pem"), "{err}");
        let env = DkimConfig {
            private_key: None,
            private_key_env: Some("MISSIVE_TEST_NO_SUCH_KEY_VARIABLE".into()),
            ..config("")
        };
        let err = DkimKey::load(dir.path(), &env).unwrap_err().to_string();
        assert!(err.contains("`[email.dkim] private_key_env`") && err.contains("is not set"), "{err}");
        let bad = DkimConfig { selector: "a;b=c".into(), ..config("ed.pem") };
        let err = DkimKey::load(dir.path(), &bad).unwrap_err().to_string();
        assert!(err.contains("`[email.dkim] selector`"), "{err}");
    }
}
