/**
 * A fake camera for the scanner test: one Y4M frame (640 × 480, 4:2:0) showing `text` as a QR code, for
 * Chromium's `--use-file-for-fake-video-capture`. Drawn from the `qrcode` package's module matrix.
 */
import { writeFileSync } from "node:fs";
import QRCode from "qrcode";

/** Writes the frame to `path` and returns the Chromium flags that make it the camera. */
export function fakeCameraShowing(text: string, path: string): string[] {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const W = 640;
  const H = 480;
  const scale = Math.floor(400 / (n + 8));
  const x0 = Math.floor((W - n * scale) / 2);
  const y0 = Math.floor((H - n * scale) / 2);
  const y = Buffer.alloc(W * H, 235);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.modules.get(r, c))
        for (let dy = 0; dy < scale; dy++)
          y.fill(16, (y0 + r * scale + dy) * W + x0 + c * scale, (y0 + r * scale + dy) * W + x0 + (c + 1) * scale);
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, chroma]));
  return [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    `--use-file-for-fake-video-capture=${path}`,
  ];
}
