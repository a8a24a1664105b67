#include "tests/sim/core/acceptance.hpp"

#include <algorithm>
#include <sstream>

#include "base/ascii.hpp"
#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"

namespace hpsim {

namespace {

using hpaio::xml::Element;
namespace ns = hpaio::ns;

template <class T>
void add_unique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

// WS-Scan names its colour modes as eSCL does, and its formats jfif and dib (raw pixels in a BMP).
const char* mode_name(Protocol p, ScanMode m) { return p == Protocol::ledm ? ledm_mode_name(m) : escl_mode_name(m); }
const char* format_name(Protocol p, Format f) {
  if (p == Protocol::wsd) return f == Format::jpeg ? "jfif" : f == Format::raw ? "dib" : "pdf-a";
  return p == Protocol::escl ? escl_format_name(f) : ledm_format_name(f);
}

// What one document says, and what of it the simulator cannot produce.
struct Reader {
  std::vector<std::string>* notes;
  std::string error;

  void note(std::string n) { add_unique(*notes, std::move(n)); }

  std::optional<int> number(const Element& parent, std::string_view ns_uri, std::string_view name) {
    const auto t = parent.child_text(ns_uri, name);
    if (!t) return std::nullopt;
    const auto v = hpaio::parse_int(*t);
    if (!v) note(std::string(name) + " \"" + *t + "\" is not a number: ignored");
    return v;
  }

  // Min/Max Width/Height; false (and error) without the maxima.
  bool limits(const Element& e, std::string_view ns_uri, InputCaps& in, const std::string& where) {
    in.present = true;
    in.min_width = number(e, ns_uri, "MinWidth").value_or(1);
    in.min_height = number(e, ns_uri, "MinHeight").value_or(1);
    const auto mw = number(e, ns_uri, "MaxWidth");
    const auto mh = number(e, ns_uri, "MaxHeight");
    if (!mw || !mh) {
      error = where + " has no MaxWidth/MaxHeight";
      return false;
    }
    in.max_width = *mw;
    in.max_height = *mh;
    return true;
  }

  // ----- eSCL -----

  void escl_resolutions(const Element& sr, std::string_view sns, SettingProfile& sp) {
    // SettingProfiles dialect: DiscreteResolutions/DiscreteResolution{XResolution, YResolution}.
    for (const Element* d : sr.children(sns, "DiscreteResolutions")) {
      for (const Element* r : d->children(sns, "DiscreteResolution")) {
        const auto x = number(*r, sns, "XResolution");
        const auto y = number(*r, sns, "YResolution");
        if (x) add_unique(sp.resolutions, Resolution{*x, y.value_or(*x)});
      }
    }
    // ResolutionRange/{XResolutionRange, YResolutionRange}/{Min, Max, Step}; sane-airscan reads the
    // axes as XResolution/YResolution, so those names are taken too.
    if (const Element* rr = sr.child(sns, "ResolutionRange")) {
      const auto axis = [&](std::string_view a, std::string_view b) -> std::optional<ResolutionRange> {
        const Element* e = rr->child(sns, a);
        if (e == nullptr) e = rr->child(sns, b);
        if (e == nullptr) return std::nullopt;
        const auto lo = number(*e, sns, "Min");
        const auto hi = number(*e, sns, "Max");
        if (!lo || !hi) return std::nullopt;
        return ResolutionRange{*lo, *hi, std::max(1, number(*e, sns, "Step").value_or(1))};
      };
      sp.x_range = axis("XResolutionRange", "XResolution");
      sp.y_range = axis("YResolutionRange", "YResolution");
      if (!sp.y_range) sp.y_range = sp.x_range;
    }
    // The older dialect: Resolution elements with one or more XResolution (and YResolution).
    for (const Element* r : sr.children(sns, "Resolution")) {
      const auto xs = r->children(sns, "XResolution");
      const auto ys = r->children(sns, "YResolution");
      for (std::size_t i = 0; i < xs.size(); ++i) {
        const auto x = hpaio::parse_int(xs[i]->text());
        if (!x) continue;
        std::optional<int> y = x;
        if (ys.size() == xs.size()) {
          y = hpaio::parse_int(ys[i]->text());
        } else if (ys.size() == 1) {
          y = hpaio::parse_int(ys[0]->text());
        }
        if (y) add_unique(sp.resolutions, Resolution{*x, *y});
      }
    }
  }

  // One SettingProfile, or (older dialect) the input caps element itself.
  SettingProfile escl_profile(const Element& e, std::string_view sns, const std::string& where) {
    SettingProfile sp;
    const auto mode = [&](const Element* m) {
      if (const auto v = parse_escl_mode(m->text())) {
        add_unique(sp.modes, *v);
      } else {
        note("ColorMode " + m->text() + " (" + where + ") is listed but not simulated: refused");
      }
    };
    for (const Element* list : e.children(sns, "ColorModes")) {
      for (const Element* m : list->children(sns, "ColorMode")) mode(m);
    }
    for (const Element* list : e.children(sns, "ColorReferences")) {
      for (const Element* m : list->children(sns, "ColorReference")) mode(m);
    }
    const auto format = [&](const Element* f) {
      if (const auto v = parse_escl_format(f->text())) {
        add_unique(sp.formats, *v);
      } else {
        note("DocumentFormat " + f->text() + " (" + where + ") is listed but not simulated: refused");
      }
    };
    for (const Element* list : e.children(sns, "DocumentFormats")) {
      for (const auto pwg : ns::pwg_any) {
        for (const Element* f : list->children(pwg, "DocumentFormat")) format(f);
      }
      for (const Element* f : list->children(sns, "DocumentFormatExt")) format(f);
    }
    for (const Element* sr : e.children(sns, "SupportedResolutions")) escl_resolutions(*sr, sns, sp);
    return sp;
  }

  bool escl_input(const Element* e, std::string_view sns, InputCaps& in, const std::string& where) {
    if (e == nullptr) return true;
    if (!limits(*e, sns, in, where)) return false;
    if (const Element* profiles = e->child(sns, "SettingProfiles")) {
      for (const Element* p : profiles->children(sns, "SettingProfile"))
        in.profiles.push_back(escl_profile(*p, sns, where));
    } else {
      in.profiles.push_back(escl_profile(*e, sns, where));
    }
    return true;
  }

  std::optional<Acceptance> escl(const Element& root) {
    const std::string sns = root.ns();
    if ((sns != ns::escl && sns != ns::escl_legacy) || root.name() != "ScannerCapabilities") {
      error = "the root is not scan:ScannerCapabilities (eSCL)";
      return std::nullopt;
    }
    Acceptance a;
    a.protocol = Protocol::escl;
    if (const Element* certs = root.child(sns, "Certifications")) {
      for (const Element* c : certs->children(sns, "Certification")) {
        const Element* name = c->child(sns, "Name");
        const Element* version = c->child(sns, "Version");
        if (name != nullptr && version != nullptr && name->text() == "mopria-certified-scan") {
          a.mopria_certified = version->text();
        }
      }
    }
    if (const Element* platen = root.child(sns, "Platen")) {
      if (!escl_input(platen->child(sns, "PlatenInputCaps"), sns, a.platen, "platen")) return std::nullopt;
    }
    if (const Element* adf = root.child(sns, "Adf")) {
      if (!escl_input(adf->child(sns, "AdfSimplexInputCaps"), sns, a.adf_simplex, "ADF simplex")) return std::nullopt;
      if (!escl_input(adf->child(sns, "AdfDuplexInputCaps"), sns, a.adf_duplex, "ADF duplex")) return std::nullopt;
      a.feeder_capacity = number(*adf, sns, "FeederCapacity").value_or(0);
      bool duplex_option = false;
      if (const Element* opts = adf->child(sns, "AdfOptions")) {
        for (const Element* o : opts->children(sns, "AdfOption")) duplex_option |= o->text() == "Duplex";
      }
      if (duplex_option && !a.adf_duplex.present && a.adf_simplex.present) {
        a.adf_duplex = a.adf_simplex;
        note("AdfOption Duplex without AdfDuplexInputCaps: duplex takes the simplex limits");
      }
    }
    return a;
  }

  // ----- LEDM -----

  bool ledm_input(const Element* e, const std::vector<std::pair<std::string, SettingProfile>>& entries, InputCaps& in,
                  const std::string& where) {
    if (e == nullptr) return true;
    const Element* caps = e->child(ns::ledm_scan, "InputSourceCaps");
    if (caps == nullptr) {
      error = where + " has no InputSourceCaps";
      return false;
    }
    if (!limits(*caps, ns::ledm_scan, in, where)) return false;
    // Resolution{XResolution, YResolution, ColorTypes/ColorType*}: one profile per ColorEntry with
    // the resolutions that list its colour type (all of them when a Resolution has no ColorTypes).
    struct Listed {
      Resolution r;
      std::vector<std::string> types;
      bool any = false;
    };
    std::vector<Listed> listed;
    if (const Element* sr = caps->child(ns::ledm_scan, "SupportedResolutions")) {
      for (const Element* r : sr->children(ns::ledm_scan, "Resolution")) {
        const auto x = number(*r, ns::ledm_scan, "XResolution");
        if (!x) continue;
        Listed l{{*x, number(*r, ns::ledm_scan, "YResolution").value_or(*x)}, {}, true};
        if (const Element* types = r->child(ns::ledm_scan, "ColorTypes")) {
          l.any = false;
          for (const Element* t : types->children(ns::ledm_scan, "ColorType")) l.types.push_back(t->text());
        }
        listed.push_back(std::move(l));
      }
    }
    for (const auto& [type, entry] : entries) {
      SettingProfile sp = entry;
      for (const Listed& l : listed) {
        if (l.any || std::find(l.types.begin(), l.types.end(), type) != l.types.end()) {
          add_unique(sp.resolutions, l.r);
        }
      }
      if (!sp.resolutions.empty()) in.profiles.push_back(std::move(sp));
    }
    return true;
  }

  std::optional<Acceptance> ledm(const Element& root) {
    if (!root.is(ns::ledm_scan, "ScanCaps")) {
      error = "the root is not ScanCaps in " + std::string(ns::ledm_scan) + " (LEDM)";
      return std::nullopt;
    }
    Acceptance a;
    a.protocol = Protocol::ledm;
    // ColorEntries/ColorEntry{ColorType, Formats/Format*}.
    std::vector<std::pair<std::string, SettingProfile>> entries;
    if (const Element* ces = root.child(ns::ledm_scan, "ColorEntries")) {
      for (const Element* ce : ces->children(ns::ledm_scan, "ColorEntry")) {
        const std::string type = ce->child_text(ns::ledm_scan, "ColorType").value_or("");
        SettingProfile sp;
        if (type == "K1") {
          sp.modes = {ScanMode::blackandwhite1};
        } else if (type == "Gray8") {
          sp.modes = {ScanMode::grayscale8};
        } else if (type == "Color8") {
          sp.modes = {ScanMode::rgb24};
        } else {
          note("ColorType " + type + " is listed but not simulated: refused");
          continue;
        }
        if (const Element* formats = ce->child(ns::ledm_scan, "Formats")) {
          for (const Element* f : formats->children(ns::ledm_scan, "Format")) {
            if (const auto v = parse_ledm_format(f->text())) {
              add_unique(sp.formats, *v);
            } else {
              note("Format " + f->text() + " (" + type + ") is listed but not simulated: refused");
            }
          }
        }
        entries.emplace_back(type, std::move(sp));
      }
    }
    if (!ledm_input(root.child(ns::ledm_scan, "Platen"), entries, a.platen, "Platen")) return std::nullopt;
    if (const Element* adf = root.child(ns::ledm_scan, "Adf")) {
      if (!ledm_input(adf, entries, a.adf_simplex, "Adf")) return std::nullopt;
      a.feeder_capacity = number(*adf, ns::ledm_scan, "FeederCapacity").value_or(0);
      bool duplex = false;
      if (const Element* opts = adf->child(ns::ledm_scan, "AdfOptions")) {
        for (const Element* o : opts->children(ns::ledm_scan, "AdfOption")) duplex |= o->text() == "Duplex";
      }
      const Element* duplexer = adf->child(ns::ledm_scan, "AdfDuplexer");
      if (duplex || duplexer != nullptr) {
        a.adf_duplex = a.adf_simplex;
        if (duplexer != nullptr) {
          const auto w = number(*duplexer, ns::ledm_scan, "AdfDuplexMaxWidth");
          const auto h = number(*duplexer, ns::ledm_scan, "AdfDuplexMaxHeight");
          if (w) a.adf_duplex.max_width = std::min(a.adf_duplex.max_width, *w);
          if (h) a.adf_duplex.max_height = std::min(a.adf_duplex.max_height, *h);
        }
      }
    }
    return a;
  }
};

std::string join_resolutions(const std::vector<Resolution>& rs) {
  std::ostringstream o;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    o << (i ? "," : "") << rs[i].x;
    if (rs[i].y != rs[i].x) o << "x" << rs[i].y;
  }
  return o.str();
}

}  // namespace

bool SettingProfile::has(ScanMode m) const { return std::find(modes.begin(), modes.end(), m) != modes.end(); }
bool SettingProfile::has(Format f) const { return std::find(formats.begin(), formats.end(), f) != formats.end(); }
bool SettingProfile::has_resolution(int x, int y) const {
  if (std::find(resolutions.begin(), resolutions.end(), Resolution{x, y}) != resolutions.end()) return true;
  return x_range && y_range && x_range->contains(x) && y_range->contains(y);
}

std::vector<ScanMode> InputCaps::modes() const {
  std::vector<ScanMode> v;
  for (const auto& p : profiles) {
    for (ScanMode m : p.modes) add_unique(v, m);
  }
  return v;
}

std::vector<Format> InputCaps::formats(ScanMode with) const {
  std::vector<Format> v;
  for (const auto& p : profiles) {
    if (!p.has(with)) continue;
    for (Format f : p.formats) add_unique(v, f);
  }
  return v;
}

std::vector<Resolution> InputCaps::resolutions(ScanMode with, Format and_format) const {
  std::vector<Resolution> v;
  for (const auto& p : profiles) {
    if (!p.has(with) || !p.has(and_format)) continue;
    for (const Resolution& r : p.resolutions) add_unique(v, r);
  }
  std::sort(v.begin(), v.end());
  return v;
}

const InputCaps& Acceptance::input(Source s, bool duplex) const {
  if (s == Source::platen) return platen;
  return duplex ? adf_duplex : adf_simplex;
}

std::optional<std::string> Acceptance::refusal(const ScanParams& p, ScanMode mode) const {
  const std::string where = p.source == Source::platen ? "the platen"
                            : p.duplex                 ? "the feeder in duplex"
                                                       : "the feeder";
  if (p.duplex && p.source != Source::adf) return "duplex is only for the feeder";
  const InputCaps& in = input(p.source, p.duplex);
  if (!in.present) return "the capabilities list no " + where.substr(4);
  bool mode_ok = false, format_ok = false, resolution_ok = false;
  for (const auto& sp : in.profiles) {
    if (!sp.has(mode)) continue;
    mode_ok = true;
    if (!sp.has(p.format)) continue;
    format_ok = true;
    resolution_ok = resolution_ok || sp.has_resolution(p.xres, p.yres);
  }
  const std::string m = mode_name(protocol, mode);
  const std::string f = format_name(protocol, p.format);
  if (!mode_ok) return "colour mode " + m + " is not listed for " + where;
  if (!format_ok) return "format " + f + " is not listed with " + m + " for " + where;
  if (!resolution_ok) {
    return "resolution " + std::to_string(p.xres) + "x" + std::to_string(p.yres) + " is not listed with " + m + " " +
           f + " for " + where;
  }
  if (p.x < 0 || p.y < 0 || p.width < in.min_width || p.height < in.min_height || p.x + p.width > in.max_width ||
      p.y + p.height > in.max_height) {
    return "scan region outside the limits of " + where;
  }
  return std::nullopt;
}

std::optional<Acceptance> read_capabilities(Protocol protocol, std::string_view document, std::string* error) {
  std::string err;
  const auto root = hpaio::xml::try_parse(document, &err);
  if (!root) {
    if (error) *error = "not well-formed XML: " + err;
    return std::nullopt;
  }
  std::vector<std::string> notes;
  Reader reader{&notes, {}};
  auto a = protocol == Protocol::escl ? reader.escl(*root) : reader.ledm(*root);
  if (!a) {
    if (error) *error = reader.error;
    return std::nullopt;
  }
  a->notes = std::move(notes);
  return a;
}

int feeder_load(const SimConfig& cfg, const Acceptance& a) {
  if (!a.has_feeder()) return 0;
  const int sheets = std::max(0, cfg.pages);
  return a.feeder_capacity > 0 ? std::min(sheets, a.feeder_capacity) : sheets;
}

Profile profile_following(Profile p, const Acceptance& a) {
  const auto follow = [](SourceCaps& s, const InputCaps& in) {
    s.present = in.present;
    if (!in.present) return;
    s.min_width = in.min_width;
    s.min_height = in.min_height;
    s.max_width = in.max_width;
    s.max_height = in.max_height;
    std::vector<int> res;
    for (const auto& sp : in.profiles) {
      for (const Resolution& r : sp.resolutions) {
        if (r.x == r.y) add_unique(res, r.x);
      }
    }
    std::sort(res.begin(), res.end());
    if (!res.empty()) s.resolutions = res;  // ranges only: the profile's list stands
  };
  follow(p.platen, a.platen);
  follow(p.adf, a.adf_simplex.present ? a.adf_simplex : a.adf_duplex);
  p.duplex = a.adf_duplex.present;
  if (p.duplex) p.duplex_max_height = a.adf_duplex.max_height;
  if (a.feeder_capacity > 0) p.feeder_capacity = a.feeder_capacity;
  std::vector<ScanMode> modes;
  std::vector<Format> formats;
  for (const InputCaps* in : {&a.platen, &a.adf_simplex, &a.adf_duplex}) {
    for (const auto& sp : in->profiles) {
      for (ScanMode m : sp.modes) add_unique(modes, m);
      for (Format f : sp.formats) add_unique(formats, f);
    }
  }
  const auto has_mode = [&](ScanMode m) { return std::find(modes.begin(), modes.end(), m) != modes.end(); };
  const auto has_format = [&](Format f) { return std::find(formats.begin(), formats.end(), f) != formats.end(); };
  p.color = has_mode(ScanMode::rgb24) || has_mode(ScanMode::auto_color);
  p.grayscale = has_mode(ScanMode::grayscale8);
  p.blackandwhite1 = has_mode(ScanMode::blackandwhite1);
  p.jpeg = has_format(Format::jpeg);
  p.raw = has_format(Format::raw);
  p.pdf = has_format(Format::pdf);
  if (a.protocol == Protocol::escl) p.mopria_certified = a.mopria_certified;  // the document decides
  return p;
}

std::string describe(const Acceptance& a) {
  std::ostringstream o;
  const auto source = [&](const char* name, const InputCaps& in) {
    if (!in.present) return;
    if (o.tellp() > 0) o << "; ";
    o << name << " " << in.min_width << "x" << in.min_height << ".." << in.max_width << "x" << in.max_height << ":";
    for (const auto& sp : in.profiles) {
      o << " [";
      for (std::size_t i = 0; i < sp.modes.size(); ++i) o << (i ? "," : "") << mode_name(a.protocol, sp.modes[i]);
      o << " ";
      for (std::size_t i = 0; i < sp.formats.size(); ++i) {
        o << (i ? "," : "") << format_name(a.protocol, sp.formats[i]);
      }
      std::vector<Resolution> rs = sp.resolutions;
      std::sort(rs.begin(), rs.end());
      o << " " << join_resolutions(rs);
      if (sp.x_range) o << (rs.empty() ? "" : ",") << sp.x_range->min << "-" << sp.x_range->max;
      o << " dpi]";
    }
  };
  source("platen", a.platen);
  source("adf", a.adf_simplex);
  source("duplex", a.adf_duplex);
  if (a.has_feeder()) o << "; feeder capacity " << a.feeder_capacity;
  if (o.tellp() == 0) o << "no input source";
  return o.str();
}

}  // namespace hpsim
