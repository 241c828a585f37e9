package cn.qxqy.pipeline.campaign;

/**
 * A county-level unit of a campaign's city (吕梁's 13 counties), or the city level (市本级) itself.
 *
 * @param sort the region's place in the reference list of regions, for listing in its order
 */
public record CountyUnit(String regionCode, String nameZh, String nameEn, int sort) {
}
