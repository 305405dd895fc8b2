//! Decoded PNG charts, for tests that look at what was drawn.

use plotters::style::RGBColor;
use std::collections::HashSet;
use std::path::Path;

/// An 8-bit RGB image.
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Image {
    /// Decodes the PNG at `path`, which must be 8-bit RGB (what the charts
    /// write).
    pub fn read(path: &Path) -> Image {
        let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        buf.truncate(info.buffer_size());
        Image {
            width: info.width,
            height: info.height,
            rgb: buf,
        }
    }

    pub fn distinct_colors(&self) -> usize {
        self.rgb
            .chunks_exact(3)
            .map(|p| [p[0], p[1], p[2]])
            .collect::<HashSet<_>>()
            .len()
    }

    /// Pixels within a few levels of `color` in the middle of the canvas,
    /// where the plots are: from `across.0`% to `across.1`% of the width and
    /// from 15% to 80% of the height.
    pub fn count_near(&self, color: RGBColor, across: (usize, usize)) -> usize {
        let RGBColor(r, g, b) = color;
        let (w, h) = (self.width as usize, self.height as usize);
        (h * 15 / 100..h * 80 / 100)
            .flat_map(|y| (w * across.0 / 100..w * across.1 / 100).map(move |x| (y * w + x) * 3))
            .filter(|&i| {
                self.rgb[i].abs_diff(r) <= 6
                    && self.rgb[i + 1].abs_diff(g) <= 6
                    && self.rgb[i + 2].abs_diff(b) <= 6
            })
            .count()
    }
}
