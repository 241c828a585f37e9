package cn.qxqy.pipeline.reference;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** 项目类别: a category a project may be in (central budget, special bond …). */
@Entity
@Table(name = "categories")
public class Category extends ReferenceEntry {
}
