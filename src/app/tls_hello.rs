//! What a ClientHello or a ServerHello says, read by rusticata's `tls-parser`: the server name
//! (SNI), the application protocols (ALPN), the version (a TLS 1.3 ServerHello says it in its
//! supported_versions extension, its legacy field stays 1.2) and the cipher suite chosen, and
//! whether a ServerHello is a HelloRetryRequest (RFC 8446 §4.1.3: its random is a constant).

use serde::Serialize;
use tls_parser::{TlsExtension, TlsMessage, TlsMessageHandshake};

use super::text::inert;

/// SHA-256 of "HelloRetryRequest": the random of a ServerHello that asks for another ClientHello.
const HELLO_RETRY_RANDOM: [u8; 32] = [
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E,
    0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
];

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Hello {
    pub sni: Option<String>,
    pub alpn: Vec<String>,
    /// ClientHello: the highest version offered; ServerHello: the version chosen.
    pub version: Option<u16>,
    /// ServerHello: the cipher suite chosen (its IANA number and name).
    pub cipher: Option<u16>,
    pub cipher_name: Option<String>,
    pub hello_retry: bool,
    /// ClientHello: offers 0-RTT early data (its first encrypted records may be data).
    pub early_data: bool,
}

/// Reads a whole handshake message (its 4-byte header included) of type `kind`, if it is a
/// hello and `tls-parser` can read it.
pub fn read(kind: u8, message: &[u8]) -> Option<Hello> {
    if !matches!(kind, 1 | 2) {
        return None;
    }
    let (_, msg) = tls_parser::parse_tls_message_handshake(message).ok()?;
    match msg {
        TlsMessage::Handshake(TlsMessageHandshake::ClientHello(ch)) => {
            let mut hello = Hello { version: Some(ch.version.0), ..Hello::default() };
            if let Some(ext) = ch.ext {
                let (_, exts) = tls_parser::parse_tls_client_hello_extensions(ext).ok()?;
                read_extensions(&exts, &mut hello, true);
            }
            Some(hello)
        }
        TlsMessage::Handshake(TlsMessageHandshake::ServerHello(sh)) => {
            let mut hello = Hello {
                version: Some(sh.version.0),
                cipher: Some(sh.cipher.0),
                cipher_name: tls_parser::TlsCipherSuite::from_id(sh.cipher.0).map(|c| c.name.to_string()),
                hello_retry: sh.random == HELLO_RETRY_RANDOM,
                ..Hello::default()
            };
            if let Some(ext) = sh.ext {
                if let Ok((_, exts)) = tls_parser::parse_tls_server_hello_extensions(ext) {
                    read_extensions(&exts, &mut hello, false);
                }
            }
            Some(hello)
        }
        _ => None,
    }
}

fn read_extensions(exts: &[TlsExtension<'_>], hello: &mut Hello, client: bool) {
    for e in exts {
        match e {
            TlsExtension::SNI(names) => hello.sni = names.first().map(|(_, name)| inert(name)),
            TlsExtension::EarlyData(_) => hello.early_data = true,
            TlsExtension::ALPN(protocols) => hello.alpn = protocols.iter().map(|p| inert(p)).collect(),
            TlsExtension::SupportedVersions(versions) => {
                // The client lists what it offers (GREASE values 0x?a?a left out); the server
                // names the one it chose.
                let real = versions.iter().map(|v| v.0).filter(|v| v & 0x0f0f != 0x0a0a);
                hello.version = if client { real.max().or(hello.version) } else { real.last().or(hello.version) };
            }
            _ => {}
        }
    }
}

/// A version's name (0x0303 "TLS 1.2").
pub fn version_name(v: u16) -> String {
    match v {
        0x0300 => "SSL 3.0".to_string(),
        0x0301 => "TLS 1.0".to_string(),
        0x0302 => "TLS 1.1".to_string(),
        0x0303 => "TLS 1.2".to_string(),
        0x0304 => "TLS 1.3".to_string(),
        v => format!("version 0x{v:04x}"),
    }
}
