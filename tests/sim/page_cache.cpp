#include "page_cache.hpp"

namespace hpsim {

PageKey page_key(Protocol protocol, const ScanParams& p, int image, bool dnl) {
    PageKey k;
    k.protocol = protocol;
    k.source = p.source;
    k.duplex = p.duplex;
    k.xres = p.xres;
    k.yres = p.yres;
    k.x = p.x;
    k.y = p.y;
    k.width = p.width;
    k.height = p.height;
    k.mode = p.mode;
    k.format = p.format;
    k.sheet = sheet_of(p, image);
    k.side = side_of(p, image);
    k.dnl = dnl;
    return k;
}

std::string PageCache::image(Protocol protocol, const ScanParams& p, int image, bool dnl) {
    if (!enabled_) return make_image(p, image, dnl);
    const PageKey key = page_key(protocol, p, image, dnl);
    if (const auto it = pages_.find(key); it != pages_.end()) {
        ++hits_;
        return it->second;
    }
    std::string body = make_image(p, image, dnl);
    if (bytes_ + body.size() <= max_bytes_) {
        bytes_ += body.size();
        pages_.emplace(key, body);
    }
    return body;
}

}  // namespace hpsim
