package io.rrsis4j.serve;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Hides Range headers from the static files: the page's files are a few KB, and Jetty answers a range beyond a file
 * (or a malformed one) with a bodiless 416 instead of the one-line JSON reason, and many small ranges with a response
 * far larger than the request. Without the header every file is sent whole (200).
 */
final class WholeFilesOnly extends HttpFilter {
    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return isRange(name) ? null : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return isRange(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
            }
        }, response);
    }

    private static boolean isRange(String name) {
        return "Range".equalsIgnoreCase(name) || "If-Range".equalsIgnoreCase(name);
    }
}
