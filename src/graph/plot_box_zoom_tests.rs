//! The box zoom of a plot: a dragged box names the time window and, when tall enough, the
//! value window.
use super::*;

#[test]
fn a_dragged_box_names_both_windows() {
    let data = crate::graph::GraphData {
        stream: 0,
        kind: crate::graph::GraphKind::Tseq,
        title: String::new(),
        subtitle: String::new(),
        unit: crate::graph::Unit::Bytes,
        full: (0.0, 10.0),
        range: (0.0, 10.0),
        y_range: (0.0, 1000.0),
        y_zoomed: false,
        series: vec![],
        exact: true,
        points_in_range: 0,
        irtt: None,
        from_client: true,
    };
    let p = plot(&data, 1000.0, 400.0);
    let (l, r, t, b) = (p.left(), p.right(), p.top(), p.bottom());
    // A box over the middle half of the time and the lower half of the values.
    let at = |fx: f32, fy: f32| (l + fx * (r - l), b - fy * (b - t));
    let z = p.box_zoom(at(0.25, 0.5), at(0.75, 0.0)).expect("a box");
    assert!((z.t.0 - 2.5).abs() < 1e-4 && (z.t.1 - 7.5).abs() < 1e-4, "{z:?}");
    let (y0, y1) = z.y.expect("a tall box zooms the values");
    assert!(y0.abs() < 1e-3 && (y1 - 500.0).abs() < 1e-2, "{z:?}");
    // A flat drag: time only; a click: nothing.
    assert_eq!(p.box_zoom(at(0.25, 0.5), at(0.75, 0.5)).map(|z| z.y), Some(None));
    assert_eq!(p.box_zoom(at(0.5, 0.5), at(0.5, 0.0)), None);
}
