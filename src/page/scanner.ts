/**
 * The camera scanner: the browser's own `BarcodeDetector` where it has one (QR and Data Matrix), else the
 * small jsQR decoder (Apache-2.0), which is a separate script loaded only when the camera opens, so the
 * page's first load does not carry it. A scanned code goes where a typed one goes (`go`).
 */
import { h } from "./dom";

interface Detector {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>;
}
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

declare global {
  interface Window {
    BarcodeDetector?: new (options: { formats: string[] }) => Detector;
    traceJsQR?: JsQr;
  }
}

/** Loads the fallback decoder script (its content-hashed name is in the page's `trace-decoder` meta tag). */
function loadDecoder(): Promise<JsQr> {
  if (window.traceJsQR) return Promise.resolve(window.traceJsQR);
  const src = document.querySelector<HTMLMetaElement>('meta[name="trace-decoder"]')?.content;
  if (!src) return Promise.reject(new Error("this page was built without the QR decoder"));
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = () => (window.traceJsQR ? resolve(window.traceJsQR) : reject(new Error("the QR decoder did not load")));
    s.onerror = () => reject(new Error("the QR decoder could not be loaded"));
    document.head.append(s);
  });
}

/** A function reading one frame: the detector's, or jsQR's over a canvas. */
async function frameReader(
  video: HTMLVideoElement,
): Promise<{ read: () => Promise<string | undefined>; engine: string }> {
  if (window.BarcodeDetector) {
    try {
      const d = new window.BarcodeDetector({ formats: ["qr_code", "data_matrix"] });
      return { engine: "BarcodeDetector", read: async () => (await d.detect(video))[0]?.rawValue };
    } catch {
      // A browser naming the class but not these formats falls through to jsQR.
    }
  }
  const jsQR = await loadDecoder();
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
  return {
    engine: "jsQR",
    read: async () => {
      const w = video.videoWidth;
      const hgt = video.videoHeight;
      if (!w || !hgt) return undefined;
      canvas.width = w;
      canvas.height = hgt;
      ctx.drawImage(video, 0, 0, w, hgt);
      return jsQR(ctx.getImageData(0, 0, w, hgt).data, w, hgt)?.data;
    },
  };
}

/** Wires the scan button: opens the camera, reads frames until a code is found, then calls `go(code)`. */
export function setUpScanner(button: HTMLButtonElement, go: (code: string) => void): void {
  if (!navigator.mediaDevices?.getUserMedia) {
    button.hidden = true;
    return;
  }
  button.addEventListener("click", async () => {
    const video = h("video", { playsinline: "", muted: "", "aria-label": "Camera" }) as HTMLVideoElement;
    const status = h("p", { class: "scan-status", role: "status" }, "Opening the camera… 正在打开摄像头…");
    const close = h("button", { type: "button", class: "scan-close" }, "Close 关闭") as HTMLButtonElement;
    const overlay = h("div", { class: "scanner", "data-scanner": "" }, video, status, close);
    document.body.append(overlay);
    let stream: MediaStream | undefined;
    let done = false;
    const stop = () => {
      done = true;
      stream?.getTracks().forEach((t) => t.stop());
      overlay.remove();
    };
    close.addEventListener("click", stop);
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } },
        audio: false,
      });
      video.srcObject = stream;
      await video.play();
      const reader = await frameReader(video);
      overlay.dataset.engine = reader.engine;
      status.textContent = "Point the camera at the QR code on the product. 请将摄像头对准商品上的二维码。";
      while (!done) {
        const code = await reader.read().catch(() => undefined);
        if (code) {
          stop();
          go(code);
          return;
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    } catch (error) {
      status.textContent = `The camera could not be used: ${(error as Error).message}. Type or paste the code instead. 无法使用摄像头，请手动输入编码。`;
      stream?.getTracks().forEach((t) => t.stop());
    }
  });
}
