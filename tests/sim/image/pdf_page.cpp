#include "tests/sim/image/pdf_page.hpp"

#include <cstdio>
#include <vector>

namespace hpsim {

namespace {

std::string points(int pixels, int dpi) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", dpi > 0 ? pixels * 72.0 / dpi : 0.0);
  return b;
}

}  // namespace

std::string jpeg_pdf(std::string_view jpeg, int width, int height, int channels, int xres, int yres) {
  const std::string w = points(width, xres), h = points(height, yres);
  const std::string content = "q " + w + " 0 0 " + h + " 0 0 cm /Im0 Do Q\n";
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  const auto object = [&](const std::string& dict, std::string_view stream = {}, bool has_stream = false) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(offsets.size()) + " 0 obj\n" + dict + "\n";
    if (has_stream) {
      pdf += "stream\n";
      pdf.append(stream);
      pdf += "\nendstream\n";
    }
    pdf += "endobj\n";
  };
  object("<< /Type /Catalog /Pages 2 0 R >>");
  object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + w + " " + h +
         "] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>");
  object("<< /Type /XObject /Subtype /Image /Width " + std::to_string(width) + " /Height " + std::to_string(height) +
             " /ColorSpace " + (channels == 3 ? "/DeviceRGB" : "/DeviceGray") +
             " /BitsPerComponent 8 /Filter /DCTDecode /Length " + std::to_string(jpeg.size()) + " >>",
         jpeg, true);
  object("<< /Length " + std::to_string(content.size()) + " >>", content, true);
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t o : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace hpsim
