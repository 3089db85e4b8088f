// SPDX-License-Identifier: MPL-2.0
#pragma once
// XML parsed into a plain tree, for tests that read back an SVG: Boost's
// property-tree XML reader (a real parser; malformed input throws), turned
// into elements with their attributes, text and children.

#include <map>
#include <string>
#include <vector>

namespace aarshjul::testing {

struct XmlElement {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;
    std::vector<XmlElement> children;

    // The attribute's value; "" when it is absent.
    std::string at(const std::string& key) const;

    // Every element below this one, depth first, that `pred` accepts.
    template <class P> std::vector<const XmlElement*> all(P pred) const {
        std::vector<const XmlElement*> out;
        collect(pred, out);
        return out;
    }

private:
    template <class P> void collect(P& pred, std::vector<const XmlElement*>& out) const {
        for (const auto& child : children) {
            if (pred(child))
                out.push_back(&child);
            child.collect(pred, out);
        }
    }
};

// The document's root element; throws std::exception on malformed XML.
XmlElement parse_xml(const std::string& text);

} // namespace aarshjul::testing
