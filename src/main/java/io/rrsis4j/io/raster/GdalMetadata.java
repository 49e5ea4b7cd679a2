package io.rrsis4j.io.raster;

import java.io.StringReader;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The per-band items of GDAL's GDAL_METADATA TIFF tag (42112), as GDAL writes them: {@code <Item name="DESCRIPTION"
 * sample="3" role="description">B4</Item>}, COLORINTERP, SCALE and OFFSET. A tag that is not well-formed XML is
 * ignored, as GDAL ignores it (the pixels stay readable); DTDs and external entities are never resolved.
 */
final class GdalMetadata {

    private final Map<Integer, Map<String, String>> bands;

    private GdalMetadata(Map<Integer, Map<String, String>> bands) {
        this.bands = bands;
    }

    static GdalMetadata parse(String xml) {
        Map<Integer, Map<String, String>> bands = new HashMap<>();
        if (xml == null || xml.isBlank()) {
            return new GdalMetadata(bands);
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            NodeList items = factory.newDocumentBuilder()
                    .parse(new InputSource(new StringReader(xml.replace("\0", "").strip())))
                    .getElementsByTagName("Item");
            for (int i = 0; i < items.getLength(); i++) {
                Element item = (Element) items.item(i);
                if (!item.hasAttribute("sample")) {
                    continue; // a dataset item
                }
                int sample = Integer.parseInt(item.getAttribute("sample").strip());
                String key = (item.hasAttribute("role") ? item.getAttribute("role") : item.getAttribute("name"))
                        .toLowerCase(Locale.ROOT);
                bands.computeIfAbsent(sample, s -> new HashMap<>()).put(key, item.getTextContent().strip());
            }
        } catch (Exception e) { // javax.xml's checked exceptions and a bad sample number alike
            bands.clear();
        }
        return new GdalMetadata(bands);
    }

    /** An item of 0-based band {@code band} by role (description, colorinterp, scale, offset), null if absent. */
    String band(int band, String role) {
        Map<String, String> items = bands.get(band);
        return items == null ? null : items.get(role);
    }

    /** A numeric item, {@code fallback} when absent or not a number. */
    double number(int band, String role, double fallback) {
        String value = band(band, role);
        try {
            return value == null ? fallback : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
