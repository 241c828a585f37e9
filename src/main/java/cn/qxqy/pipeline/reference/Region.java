package cn.qxqy.pipeline.reference;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** 区县: a county-level region (GB/T 2260 administrative code), or 市本级 for the city level. */
@Entity
@Table(name = "regions")
public class Region extends ReferenceEntry {
}
