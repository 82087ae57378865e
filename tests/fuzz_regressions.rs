//! Every input a fuzz run ever found (`fuzz/regressions/<target>/`, kept once fixed), replayed
//! through the same property the target checks (`tcp_ladder::fuzz_checks`), plus the seed
//! captures through all four: a fixed crash or hang stays fixed without a fuzzer.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use tcp_ladder::fuzz_checks;

const TARGETS: [(&str, fn(&[u8])); 6] = [
    ("read_whole", fuzz_checks::read_whole),
    ("read_streamed", fuzz_checks::read_streamed),
    ("decode_frame", fuzz_checks::decode_frame),
    ("capture_to_diagrams", fuzz_checks::capture_to_diagrams_every_view),
    ("app_messages", fuzz_checks::app_messages),
    ("merge_captures", fuzz_checks::merge_captures),
];

#[test]
fn every_input_a_fuzz_run_found_passes_its_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (target, check) in TARGETS {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else { continue };
        for entry in dir {
            let path = entry.unwrap().path();
            let started = std::time::Instant::now();
            check(&std::fs::read(&path).unwrap());
            println!("{target} {}: {:?}", path.file_name().unwrap().to_string_lossy(), started.elapsed());
            replayed += 1;
        }
    }
    assert!(replayed >= 1, "fuzz/regressions/ is empty");
}
