// SPDX-License-Identifier: MPL-2.0
#include "support/xml_tree.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>
#include <stdexcept>

namespace aarshjul::testing {

namespace {

namespace pt = boost::property_tree;

XmlElement convert(const std::string& name, const pt::ptree& tree) {
    XmlElement e{name, {}, tree.data(), {}};
    for (const auto& [key, child] : tree) {
        if (key == "<xmlattr>") {
            for (const auto& [attribute, value] : child)
                e.attributes[attribute] = value.data();
        } else if (key != "<xmlcomment>") {
            e.children.push_back(convert(key, child));
        }
    }
    return e;
}

} // namespace

std::string XmlElement::at(const std::string& key) const {
    auto it = attributes.find(key);
    return it == attributes.end() ? std::string() : it->second;
}

XmlElement parse_xml(const std::string& text) {
    std::istringstream in(text);
    pt::ptree tree;
    pt::read_xml(in, tree);
    if (tree.size() != 1)
        throw std::runtime_error("an XML document has one root element");
    return convert(tree.begin()->first, tree.begin()->second);
}

} // namespace aarshjul::testing
