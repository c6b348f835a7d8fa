"""Order sources: web-shop connections and point-of-sale imports."""
