use std::io::Read;
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut pages = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let mut b = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&p).unwrap())
            .read_to_end(&mut b)
            .unwrap();
        pages.push((p.file_name().unwrap().to_string_lossy().to_string(), b));
    }
    pages.sort();
    let mut times = vec![f64::MAX; pages.len()];
    for _round in 0..3 {
        for (i, (_, b)) in pages.iter().enumerate() {
            let t = Instant::now();
            let _ = reprint_web::extract_page(b, None, None);
            times[i] = times[i].min(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let total: f64 = times.iter().sum();
    let mut idx: Vec<usize> = (0..pages.len()).collect();
    idx.sort_by(|&a, &b| times[b].total_cmp(&times[a]));
    println!("total {total:.1} ms over {} pages", pages.len());
    for &i in idx.iter().take(15) {
        let (pre, _) = reprint_web::charset::decode_html(&pages[i].1, None, None);
        let prep = reprint_web::prepare::prepare(&pre).html.len();
        println!(
            "{:8.2} ms {:8} bytes prepared {:8} {}",
            times[i],
            pages[i].1.len(),
            prep,
            &pages[i].0[..12]
        );
    }
}
