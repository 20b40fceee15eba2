/** The fallback QR decoder script (built as its own file, loaded only when the camera opens without BarcodeDetector). */
import jsQR from "jsqr";

window.traceJsQR = (data, width, height) => jsQR(data, width, height, { inversionAttempts: "attemptBoth" });
