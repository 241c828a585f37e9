package cn.qxqy.pipeline.reference;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** 项目阶段: the name of a lifecycle stage. */
@Entity
@Table(name = "stages")
public class StageName extends ReferenceEntry {
}
