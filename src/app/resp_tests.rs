use super::*;
use crate::app::{read_direction, Context, Message, Piece};

fn read(from_client: bool, pieces: &[&[u8]]) -> Vec<Message> {
    read_direction(crate::app::Protocol::Redis, from_client, &Context::default(), pieces.iter().map(|p| Piece::Bytes(p)))
}

fn resp(m: &Message) -> &RespMessage {
    match &m.what {
        What::Redis(r) => r,
        other => panic!("not RESP: {other:?}"),
    }
}

#[test]
fn commands_as_arrays_and_inline() {
    let m = read(true, &[b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nva", b"lue\r\nPUBLISH ch \"a b\"\r\n"]);
    assert_eq!(m.len(), 2);
    assert_eq!((resp(&m[0]).text.as_deref(), resp(&m[0]).len), (Some("SET"), 3));
    assert_eq!(m[0].end, 31);
    assert_eq!((resp(&m[1]).text.as_deref(), resp(&m[1]).len, resp(&m[1]).inline), (Some("PUBLISH"), 3, true));
}

#[test]
fn nested_replies_are_read_whole() {
    let reply: &[u8] = b"*2\r\n*3\r\n$7\r\nmessage\r\n:1\r\n$-1\r\n%1\r\n+a\r\n*0\r\n+OK\r\n";
    for cut in 1..reply.len() {
        let m = read(false, &[&reply[..cut], &reply[cut..]]);
        assert_eq!(m.len(), 2, "cut at {cut}: {m:?}");
        let r = resp(&m[0]);
        assert_eq!((r.kind, r.len, r.nested, r.complete), ('*', 2, 7, true));
        assert_eq!(resp(&m[1]).text.as_deref(), Some("OK"));
    }
}

#[test]
fn a_big_bulk_string_is_skipped_by_its_length() {
    let mut reply = b"$100000\r\n".to_vec();
    reply.extend(vec![b'\n'; 100_000]);
    reply.extend_from_slice(b"\r\n:7\r\n");
    let m = read(false, &[&reply[..1000], &reply[1000..]]);
    assert_eq!(m.len(), 2);
    assert_eq!((resp(&m[0]).len, resp(&m[1]).text.as_deref()), (100_000, Some("7")));
}

#[test]
fn detection() {
    assert!(looks_like_command(b"*2\r\n$4\r\nPING"));
    assert!(!looks_like_command(b"*\r\n"));
    assert!(looks_like_inline_exchange(b"PING\r\n", b"+PONG\r\n"));
    assert!(!looks_like_inline_exchange(b"USER a\r\n", b"+OK POP3 ready\r\n"));
    assert!(!looks_like_inline_exchange(b"STARTTLS\r\n", b":irc.example 670 :go\r\n"));
}
