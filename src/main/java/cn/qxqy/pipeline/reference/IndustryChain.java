package cn.qxqy.pipeline.reference;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** 产业链: an industry chain a project belongs to. */
@Entity
@Table(name = "industry_chains")
public class IndustryChain extends ReferenceEntry {
}
