use super::*;
use crate::app::{read_direction, Context, Message, Piece};

fn read(protocol: Protocol, from_client: bool, pieces: &[&[u8]]) -> Vec<Message> {
    read_direction(protocol, from_client, &Context::default(), pieces.iter().map(|p| Piece::Bytes(p)))
}

fn parts(messages: &[Message]) -> Vec<Part> {
    messages
        .iter()
        .map(|m| match &m.what {
            What::Line(l) => l.part.clone(),
            other => panic!("not a line message: {other:?}"),
        })
        .collect()
}

fn reply(code: &str, text: &str, lines: u32) -> Part {
    Part::Reply { code: code.into(), text: text.into(), lines }
}

#[test]
fn a_reply_split_over_segments_and_a_multi_line_reply() {
    let m = read(Protocol::Smtp, false, &[b"22", b"0 mail ESMTP\r", b"\n250-mail Hello\r\n250-SIZE 10\r\n", b"250 HELP\r\n"]);
    assert_eq!(parts(&m), [reply("220", "mail ESMTP", 1), reply("250", "mail Hello", 3)]);
    assert_eq!((m[1].start, m[1].end), (16, 16 + 39));
    // FTP: the lines between may be anything, even another code's.
    let m = read(Protocol::Ftp, false, &[b"211-Features\r\n MDTM\r\n211x\r\n", b"211 End\r\n"]);
    assert_eq!(parts(&m), [reply("211", "Features", 4)]);
}

#[test]
fn smtp_mail_data_runs_to_the_dot_line_past_dot_stuffed_lines() {
    let body: &[u8] = b"Subject: x\r\n\r\n..a stuffed line\r\n.\r\nQUIT\r\n";
    let m = read(Protocol::Smtp, true, &[b"data\r\n", &body[..20], &body[20..33], &body[33..]]);
    let command = |verb: &str| Part::Command { tag: None, verb: verb.into(), arg: None, hidden: false };
    assert_eq!(parts(&m), [command("data"), Part::MailData { len: 32 }, command("QUIT")]);
    // The end line split between segments, and an empty mail.
    let m = read(Protocol::Smtp, true, &[b"DATA\r\nx\r\n.", b"\r\nDATA\r\n.\r\n"]);
    assert_eq!(parts(&m)[1], Part::MailData { len: 3 });
    assert_eq!(parts(&m)[3], Part::MailData { len: 0 });
}

#[test]
fn credentials_are_never_kept() {
    let m = read(Protocol::Ftp, true, &[b"USER anonymous\r\nPASS secret\r\n"]);
    assert_eq!(parts(&m)[1], Part::Command { tag: None, verb: "PASS".into(), arg: None, hidden: true });
    let m = read(Protocol::Smtp, true, &[b"AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nAUTH LOGIN\r\nYWxpY2U=\r\nc2VjcmV0\r\nQUIT\r\n"]);
    let p = parts(&m);
    assert_eq!(p[0], Part::Command { tag: None, verb: "AUTH".into(), arg: Some("PLAIN".into()), hidden: true });
    assert_eq!(&p[2..4], [Part::AuthData, Part::AuthData]);
    assert!(matches!(&p[4], Part::Command { verb, .. } if verb == "QUIT"));
    let m = read(Protocol::Imap, true, &[b"a1 LOGIN alice secret\r\n"]);
    assert_eq!(parts(&m)[0], Part::Command { tag: Some("a1".into()), verb: "LOGIN".into(), arg: None, hidden: true });
    assert!(!format!("{m:?}").contains("secret"));
}

#[test]
fn pop3_answers_to_retr_and_list_run_to_the_dot_line() {
    let context = Context { methods: Vec::new(), commands: vec![("USER".into(), true), ("LIST".into(), false), ("LIST".into(), true), ("RETR".into(), true)] };
    let bytes: &[&[u8]] = &[b"+OK ready\r\n+OK\r\n", b"+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n+OK 1 120\r\n", b"+OK 120 octets\r\nline\r\n..dot\r\n.\r\n"];
    let m = read_direction(Protocol::Pop3, false, &context, bytes.iter().map(|p| Piece::Bytes(p)));
    assert_eq!(parts(&m), [reply("+OK", "ready", 1), reply("+OK", "", 1), reply("+OK", "2 messages", 4), reply("+OK", "1 120", 1), reply("+OK", "120 octets", 4)]);
}

#[test]
fn imap_lines_and_literals() {
    let m = read(Protocol::Imap, false, &[b"* OK ready\r\n* 1 FETCH (BODY[] {5}\r\nab", b"\r\nc)\r\na2 OK done\r\n"]);
    assert_eq!(parts(&m), [reply("*", "OK ready", 1), reply("*", "1 FETCH (BODY[] {5}", 1), reply("a2", "OK done", 1)]);
    assert_eq!(m[1].end, m[2].start);
    assert_eq!(m[1].end - m[1].start, 23 + 5 + 3);
}

#[test]
fn ssh_banner_then_binary_to_the_end() {
    let m = read(Protocol::Ssh, false, &[b"SSH-2.0-OpenSSH_9.2\r\n\x00\x00\x01\x0c\x0a\x14", b"\x00\xff\n\r"]);
    assert_eq!(parts(&m), [Part::Banner { text: "SSH-2.0-OpenSSH_9.2".into() }, Part::Binary]);
    assert!(matches!(&m[1].what, What::Line(l) if l.complete));
}

#[test]
fn detection_by_content() {
    assert_eq!(detect(b"EHLO x\r\n", b"220 mail ESMTP\r\n"), Some(Protocol::Smtp));
    assert_eq!(detect(b"USER anonymous\r\n", b"220-Welcome\r\n"), Some(Protocol::Ftp));
    assert_eq!(detect(b"", b"220 ready\r\n"), Some(Protocol::SmtpOrFtp));
    assert_eq!(detect(b"CAPA\r\n", b"+OK POP3 ready\r\n"), Some(Protocol::Pop3));
    assert_eq!(detect(b"a1 CAPABILITY\r\n", b"* OK IMAP4rev1\r\n"), Some(Protocol::Imap));
    assert_eq!(detect(b"SSH-2.0-x\r\n", b""), Some(Protocol::Ssh));
    assert_eq!(detect(b"STARTTLS\r\n", b":irc.example 670 :go\r\n"), None);
    assert_eq!(crate::app::detect(b"STARTTLS\r\n", b":irc.example 670 :go\r\n"), Protocol::Unknown);
}

#[test]
fn a_line_too_long_is_lost() {
    let long = vec![b'a'; MAX_LINE + 10];
    let m = read(Protocol::Smtp, true, &[&long]);
    assert!(matches!(m[0].what, What::Unknown { .. }));
}
