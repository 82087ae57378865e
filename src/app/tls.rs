//! TLS records (RFC 8446 §5.1, RFC 5246 §6.2): each record is a message, with the handshake
//! messages it completes (a handshake message may span records, and a record may hold several),
//! an alert's level and description, or only its type and length where it is encrypted.

use serde::Serialize;

use super::framer::{Reader, Step};
use super::tls_hello::{self, Hello};
use super::What;

/// The largest record RFC 8446 allows (2^14 bytes and 256 of expansion) with room for TLS 1.2's
/// 2048: longer is not TLS.
const MAX_RECORD: usize = (1 << 14) + 2048;
/// A handshake message longer than this (a certificate chain is tens of kB) is not read.
const MAX_HANDSHAKE: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TlsRecord {
    /// 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data, 24 heartbeat.
    pub content_type: u8,
    /// The record layer's version field (0x0303 for TLS 1.2 and 1.3 alike).
    pub version: u16,
    /// Bytes of the record's body (the 5-byte header not counted).
    pub len: u16,
    /// Handshake messages this record completes, in order.
    pub handshakes: Vec<TlsHandshake>,
    /// A plaintext alert: (level, description).
    pub alert: Option<(u8, u8)>,
    /// A handshake or alert record sent after this side's ChangeCipherSpec: encrypted, so its
    /// messages are not read.
    pub encrypted: bool,
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TlsHandshake {
    /// The handshake type (1 ClientHello, 2 ServerHello, 11 Certificate …).
    pub kind: u8,
    pub len: u32,
    /// What a ClientHello or ServerHello says (SNI, ALPN, version, cipher suite).
    pub hello: Option<Hello>,
}

/// Whether `b` starts with a TLS record: a handshake record with a ClientHello or a
/// ServerHello (which open every TLS connection), or, in a capture that began after the
/// handshake, a record of application data with a TLS 1.0–1.3 version and a length TLS allows.
pub fn looks_like(b: &[u8]) -> bool {
    let hello = b.len() >= 6 && b[0] == 22 && b[1] == 3 && b[2] <= 4 && matches!(b[5], 1 | 2);
    let data = b.len() >= 5 && b[0] == 23 && b[1] == 3 && (1..=4).contains(&b[2]) && usize::from(u16::from_be_bytes([b[3], b[4]])) <= MAX_RECORD;
    hello || data
}

#[derive(Default)]
pub struct TlsReader {
    /// Handshake bytes of messages not complete yet.
    handshake: Vec<u8>,
    /// This side sent ChangeCipherSpec: its later handshake records are encrypted.
    after_ccs: bool,
    /// The record whose header was read and whose body is still coming (a gap or the end
    /// may cut it: it is still that record, not unknown data).
    under_way: Option<TlsRecord>,
}

impl Reader for TlsReader {
    fn step(&mut self, buf: &[u8]) -> Step {
        if buf.len() < 5 {
            return Step::More;
        }
        let (content_type, version, len) = (buf[0], u16::from_be_bytes([buf[1], buf[2]]), u16::from_be_bytes([buf[3], buf[4]]));
        if !(20..=24).contains(&content_type) || buf[1] != 3 || buf[2] > 4 || len as usize > MAX_RECORD {
            return Step::Lost;
        }
        let mut record = TlsRecord { content_type, version, len, handshakes: Vec::new(), alert: None, encrypted: false, complete: true };
        let whole = 5 + len as usize;
        match content_type {
            // Application data and heartbeats: only their size is told; the bytes are skipped.
            23 | 24 => return Step::Finish(whole as u64, What::Tls(record)),
            20 => self.after_ccs = true,
            _ => {}
        }
        if buf.len() < whole {
            self.under_way = Some(record);
            return Step::More;
        }
        self.under_way = None;
        let body = &buf[5..whole];
        // TLS 1.3's ChangeCipherSpec is only for middleboxes (RFC 8446 D.4): a ClientHello
        // after a HelloRetryRequest, or the ServerHello that answers it, still comes in the
        // clear. One that fills its record exactly is read as that; anything else after a
        // ChangeCipherSpec is encrypted.
        let clear_hello = body.len() >= 4 && matches!(body[0], 1 | 2) && u32::from_be_bytes([0, body[1], body[2], body[3]]) as usize == body.len() - 4;
        if self.after_ccs && content_type != 20 && !(content_type == 22 && clear_hello) {
            record.encrypted = true;
        }
        match content_type {
            21 if !record.encrypted && body.len() == 2 => record.alert = Some((body[0], body[1])),
            22 if !record.encrypted => {
                self.handshake.extend_from_slice(body);
                match self.complete_handshakes() {
                    Some(done) => record.handshakes = done,
                    None => return Step::Lost,
                }
            }
            _ => {}
        }
        Step::Done(whole, What::Tls(record))
    }

    fn cut(&mut self, _: bool) -> Option<What> {
        self.under_way.take().map(|r| What::Tls(TlsRecord { complete: false, ..r }))
    }

    fn starts_message(&self, b: &[u8]) -> bool {
        b.len() >= 5 && (20..=24).contains(&b[0]) && b[1] == 3 && b[2] <= 4 && usize::from(u16::from_be_bytes([b[3], b[4]])) <= MAX_RECORD
    }

    fn restart(&mut self) {
        self.handshake.clear();
        self.under_way = None;
    }

    fn survives_gap_in_skip(&self) -> bool {
        true
    }
}

impl TlsReader {
    /// The handshake messages now complete; `None` where one claims more than is believable.
    fn complete_handshakes(&mut self) -> Option<Vec<TlsHandshake>> {
        let mut done = Vec::new();
        let mut at = 0;
        while self.handshake.len() - at >= 4 {
            let h = &self.handshake[at..];
            let len = u32::from_be_bytes([0, h[1], h[2], h[3]]) as usize;
            if len > MAX_HANDSHAKE {
                return None;
            }
            if h.len() < 4 + len {
                break;
            }
            let hello = tls_hello::read(h[0], &h[..4 + len]);
            done.push(TlsHandshake { kind: h[0], len: len as u32, hello });
            at += 4 + len;
        }
        self.handshake.drain(..at);
        Some(done)
    }
}

/// The handshake type's name as RFC 8446 and RFC 5246 spell it.
pub fn handshake_name(kind: u8) -> &'static str {
    match kind {
        0 => "HelloRequest",
        1 => "ClientHello",
        2 => "ServerHello",
        4 => "NewSessionTicket",
        5 => "EndOfEarlyData",
        8 => "EncryptedExtensions",
        11 => "Certificate",
        12 => "ServerKeyExchange",
        13 => "CertificateRequest",
        14 => "ServerHelloDone",
        15 => "CertificateVerify",
        16 => "ClientKeyExchange",
        20 => "Finished",
        22 => "CertificateStatus",
        24 => "KeyUpdate",
        254 => "MessageHash",
        _ => "unknown handshake message",
    }
}

/// An alert's description as the RFCs name it.
pub fn alert_name(code: u8) -> &'static str {
    match code {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        22 => "record_overflow",
        40 => "handshake_failure",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        100 => "no_renegotiation",
        109 => "missing_extension",
        110 => "unsupported_extension",
        112 => "unrecognized_name",
        113 => "bad_certificate_status_response",
        115 => "unknown_psk_identity",
        116 => "certificate_required",
        120 => "no_application_protocol",
        _ => "unknown alert",
    }
}

pub fn content_type_name(t: u8) -> &'static str {
    match t {
        20 => "ChangeCipherSpec",
        21 => "Alert",
        22 => "Handshake",
        23 => "Application Data",
        24 => "Heartbeat",
        _ => "unknown record",
    }
}
